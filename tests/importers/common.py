"""Data and helpers shared by the importer tests (one module per source beside this one)."""

from __future__ import annotations


import csv


import json


from pathlib import Path


import pytest


from coopgraph.graph.store import open_store


from coopgraph.loaders.importers.table import Mapping


from coopgraph.loaders.importers import import_file


from coopgraph.loaders.merges import merge_entities, unmerge_entity


from tests.conftest import FIXTURES


SIPRI = FIXTURES / "sipri_small.csv"


FTM = FIXTURES / "ftm_small.json"


REGISTER = FIXTURES / "sipri" / "trade-register.csv"  # real: a byte-identical copy of ../shared/data/sipri


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


FTM_REAL = FIXTURES / "ftm"  # real OpenSanctions samples: byte-identical copies of ../shared/data/ftm


def claims_where(store, **fields):
    return [c for c in store.dataset().claims.values() if all(getattr(c, k) == v for k, v in fields.items())]


REGISTER_HEAD = ("Source: SIPRI Arms Transfers Database (c) SIPRI.\nData generated: 13 Oct 2024 2:20:11 PM\n"
                 "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
                 "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
                 "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n")


def write_register(path: Path, rows: list[str]) -> Path:
    path.write_bytes((REGISTER_HEAD + "\n".join(rows) + "\n").encode("latin-1"))
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


DEALS = [["Supplier", "Recipient", "Year", "Units", "Kind"],
         ["Russia", "China", "2015-2019", "24", "firm"],
         ["russian federation", "Zenith Arms", "(2014)", "", "firm"]]

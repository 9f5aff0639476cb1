"""The SIPRI comment extractor (loaders/sipri_comments.py), checked on the real register.

``CHINA_ROWS`` lists, for every Russia / Soviet Union -> China row of the register fixture whose
comment gives findings, what the rules must read in it: one line per finding (``describe()``), and
``? clause`` for a clause left unexplained (none there). ``test_every_china_row_is_listed`` keeps the
table complete: a row not in it must give no finding and leave nothing unexplained.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coopgraph.loaders.importers.sipri import _column_map, _records_of, decode, find_header
from coopgraph.loaders.importers.sipri_comments import Extraction, extract, same_country

REGISTER = Path(__file__).parent / "fixtures" / "sipri" / "trade-register.csv"


def register_rows(path: Path = REGISTER) -> list[dict[str, str]]:
    """The register's rows as {field: text}, through the importer's own reader (preamble, broken lines)."""
    lines = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = find_header(lines)
    header = next(csv.reader([lines[head]]))
    columns = _column_map(header)
    problems: list = []
    rows = [{key: cells[i] for key, i in columns.items()}
            for _, _, cells, _ in _records_of(lines, head + 1, len(header), str(path), problems)]
    assert not problems
    return rows


ROWS = register_rows()
RUSSIA_CHINA = [r for r in ROWS if r["recipient"] == "China" and r["supplier"] in ("Russia", "Soviet Union")]


def read(extraction: Extraction) -> list[str]:
    return list(extraction.summary()) + ["? " + clause for clause in extraction.leftover]


# comment -> what the rules read in it (every Russia/USSR -> China row with findings, once per distinct comment)
CHINA_ROWS = [
    ('For S-400 SAM systems', [
        'link for S-400 [SAM system]',
    ]),
    ('Mi-171 and Mi-171E versions', [
        'variant Mi-171',
        'variant Mi-171E',
    ]),
    ('Chinese designation Type-54 and Type-54-1; most probably assembed/produced under licence in China; not including production in China after 1960 Chino-Soviet break', [
        'designation Type-54 by=China',
        'designation Type-54-1 by=China',
        'production in=China mode=licence certainty=probably licensed=yes',
    ]),
    ('Chinese designation J-2 (F-2); incl assembly in China (planned licensed production abandoned)', [
        'designation J-2 aka=F-2 by=China',
        'production in=China mode=assembly',
    ]),
    ('$700 m deal; AL-31FN Series-3 version for J-10 combat aircraft produced in China', [
        'variant AL-31FN Series-3',
        'link for J-10 [combat aircraft] produced_in=China local=yes',
    ]),
    ('For 50 Type-054A (Jiangkai-2) frigates produced in China; produced under licence as H/PJ-26', [
        'link for Type-054A [frigate] n=50 aka=Jiangkai-2 produced_in=China local=yes',
        'production in=China(recipient) mode=licence as=H/PJ-26 licensed=yes',
    ]),
    ('Mi-17V-7 version', [
        'variant Mi-17V-7',
    ]),
    ('For Su-35 combat aircraft', [
        'link for Su-35 [combat aircraft]',
    ]),
    ('Chinese-produced H/PJ-26 version for 72 Type-056 (Jiangdao) frigates produced in China', [
        'variant H/PJ-26 produced_in=China',
        'production in=China mode=production as=H/PJ-26',
        'link for Type-056 [frigate] n=72 aka=Jiangdao produced_in=China local=yes',
    ]),
    ('For 50 Type-054A (Jiangkai-2) frigates produced in China; for use with HHQ-16 SAM; possibly produced in China', [
        'link for Type-054A [frigate] n=50 aka=Jiangkai-2 produced_in=China local=yes',
        'link use_with HHQ-16 [SAM]',
        'production in=China mode=production certainty=possibly',
    ]),
    ('AL-31FN Series-2 version for J-10 combat aircraft produced in China; probably incl spare engines', [
        'variant AL-31FN Series-2',
        'link for J-10 [combat aircraft] produced_in=China local=yes',
    ]),
    ('$500 m deal; AL-31FN Series-2 version for J-10 combat aircraft produced in China; probably incl spare engines', [
        'variant AL-31FN Series-2',
        'link for J-10 [combat aircraft] produced_in=China local=yes',
    ]),
    ('Chinese-produced H/PJ-26 version for 8 Type-071 (Yuzhao) AALS produced in China', [
        'variant H/PJ-26 produced_in=China',
        'production in=China mode=production as=H/PJ-26',
        'link for Type-071 [AALS] n=8 aka=Yuzhao produced_in=China local=yes',
    ]),
    ('For use with 9M38M2 (SA-N-12) SAM on 2 Type-052B (Luyang-1) destroyers produced in China', [
        'link use_with 9M38M2 [SAM] aka=SA-N-12',
        'link on Type-052B [destroyer] n=2 aka=Luyang-1 produced_in=China local=yes',
    ]),
    ('Mi-171 version', [
        'variant Mi-171',
    ]),
    ('Mi-17-V5 version', [
        'variant Mi-17-V5',
    ]),
    ('For Su-27SK combat aircraft; probably R-27R and R-27ER version', [
        'link for Su-27SK [combat aircraft]',
        'variant R-27R certainty=probably',
        'variant R-27ER certainty=probably',
    ]),
    ('$1 b deal; Su-30MKK2 naval attack version', [
        'variant Su-30MKK2 role=naval attack',
    ]),
    ('Possibly produced in China as Yu-4 after 1960 Sino-Soviet break-up', [
        'production in=China mode=production as=Yu-4 when=after 1960 Sino-Soviet break-up certainty=possibly',
    ]),
    ('Incl for Su-30 combat aircraft', [
        'link for Su-30 [combat aircraft]',
    ]),
    ('Incl for Su-27SK and Su-30MKK combat aircraft', [
        'link for Su-27SK [combat aircraft]',
        'link for Su-30MKK [combat aircraft]',
    ]),
    ('$2 b deal; Su-30MKK version', [
        'variant Su-30MKK',
    ]),
    ('For Su-27SK and Su-30MKK combat aircraft', [
        'link for Su-27SK [combat aircraft]',
        'link for Su-30MKK [combat aircraft]',
    ]),
    ('For Tor-M1 SAM systems; payment for debt', [
        'link for Tor-M1 [SAM system]',
    ]),
    ('For use with SA-2 SAM systems', [
        'link use_with SA-2 [SAM system]',
    ]),
    ('Later copied and produced in China as Type-66', [
        'production in=China mode=copy as=Type-66',
    ]),
    ('$1.5-$2 b deal; Su-30MKK version', [
        'variant Su-30MKK',
    ]),
    ('$1 b deal (payment for debt); Su-27UBK version', [
        'variant Su-27UBK',
    ]),
    ('Mi-171 and possibly Mi-17V-5 and/or Mi-17V-7 version', [
        'variant Mi-171',
        'variant Mi-17V-5 certainty=possibly',
        'variant Mi-17V-7 certainty=possibly',
    ]),
    ('Later copied and built in China as Type-59', [
        'production in=China mode=copy as=Type-59',
    ]),
    ('Later copied and produced in China as Type-56', [
        'production in=China mode=copy as=Type-56',
    ]),
    ('Later copied and produced in China as Type-55', [
        'production in=China mode=copy as=Type-55',
    ]),
    ('For MiG-19PF/PM combat aircraft; later copied and produced in China as PL-1', [
        'link for MiG-19PF/PM [combat aircraft]',
        'production in=China mode=copy as=PL-1',
    ]),
    ('For use with S-300PMU (SA-10) SAM systems', [
        'link use_with S-300PMU [SAM system] aka=SA-10',
    ]),
    ('9M38M1 (SA-N-7) version; for Project-956E (Sovremenny or Hangzhou) destroyers', [
        'variant 9M38M1 aka=SA-N-7',
        'link for Project-956E [destroyer] aka=Sovremenny|Hangzhou',
    ]),
    ('For Tor-M1 SAM systems', [
        'link for Tor-M1 [SAM system]',
    ]),
    ('$2.2 b deal; incl 2 to 10 Su-27UBK', [
        'variant Su-27UBK n=2 to 10',
    ]),
    ('Su-27UBK version; original order for 12 Su-27SK reduced to 2 Su-27UBK', [
        'variant Su-27UBK',
    ]),
    ('Osa-1 version; prior to Chinese production of improved version as Huangfen', [
        'variant Osa-1',
        'production in=China mode=development as=Huangfen',
    ]),
    ('S-2 (SS-C-2b Samlet) coast defence version', [
        'variant S-2 aka=SS-C-2b Samlet role=coast defence',
    ]),
    ('Probably aid; probably some assembled in China: Project-123K version', [
        'production in=China mode=assembly n=some certainty=probably',
        'variant Project-123K',
    ]),
    ('Second-hand; Chinese designation Anshan', [
        'designation Anshan by=China',
    ]),
    ('Second-hand; Chinese designation Du-2', [
        'designation Du-2 by=China',
    ]),
    ('Chinese designation J-5A (F-5A); more produced after 1960 China-Soviet Union break', [
        'designation J-5A aka=F-5A by=China',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Copied and produced as HY-1 in China after Sino-Soviet break-up', [
        'production in=China mode=copy as=HY-1 when=after Sino-Soviet break-up',
    ]),
    ('Probably Mi-171 and/or Mi-17V-5 and/or Mi-17V-7 version', [
        'variant Mi-171 certainty=probably',
        'variant Mi-17V-5 certainty=probably',
        'variant Mi-17V-7 certainty=probably',
    ]),
    ('Ka-28PS SAR version', [
        'variant Ka-28PS role=SAR',
    ]),
    ('For Su-30 combat aircraft; probably Kh-59MK2 version developed for and funded by China', [
        'link for Su-30 [combat aircraft]',
        'variant Kh-59MK2 certainty=probably',
    ]),
    ('Ka-28PL version', [
        'variant Ka-28PL',
    ]),
    ('Tu-16A (Badger-A) version; incl 3 assembled from kits in China; Chinese designation H-6 (B-6); more produced after 1960 China-Soviet Union break', [
        'variant Tu-16A aka=Badger-A',
        'production in=China mode=kits n=3',
        'designation H-6 aka=B-6 by=China',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Possibly incl production in China; later copied and produced in China as Type-60', [
        'production in=China mode=production certainty=possibly',
        'production in=China mode=copy as=Type-60',
    ]),
    ('Probably aid; possibly incl assembly in China (more produced without Soviet Union consent in China as HQ-1 after Sino-Soviet break and later developed to HQ-2)', [
        'production in=China mode=assembly certainty=possibly',
        'production in=China mode=production as=HQ-1 n=more when=after Sino-Soviet break licensed=no',
        'production in=China(recipient) mode=development as=HQ-2',
    ]),
    ('For 50 Type-054A (Jiangkai-2) frigates produced in China; probably produced (possibly without license) in China', [
        'link for Type-054A [frigate] n=50 aka=Jiangkai-2 produced_in=China local=yes',
        'production in=China mode=production certainty=probably',
    ]),
    ('Probably incl production in China as Red Soil; incl for use in China for development of GP-1', [
        'production in=China mode=production as=Red Soil certainty=probably',
        'production in=China mode=development as=GP-1',
    ]),
    ('More produced in China after 1960 Sino-Soviet break', [
        'production in=China mode=production n=more when=after 1960 Sino-Soviet break',
    ]),
    ('For modernized Project-877 and new Project-636 (Kilo) submarines', [
        'link for Project-877 [submarine] qual=modernized',
        'link for Project-636 [submarine] aka=Kilo qual=new',
    ]),
    ('Kh-31A and Kh-31P or Kh-31AMK and Kh-31PMK version; for Su-30; J-8M and/or JH-7 combat aircraft; including production of Kh-31P in China as KR-1; YJ-9 or YJ-91', [
        'variant Kh-31A',
        'variant Kh-31P',
        'variant Kh-31AMK',
        'variant Kh-31PMK',
        'link for Su-30 [combat aircraft]',
        'link for J-8M [combat aircraft]',
        'link for JH-7 [combat aircraft]',
        'production in=China mode=production as=KR-1 aka=YJ-9|YJ-91 item=Kh-31P',
    ]),
    ('For Type-98 and Type-99 tanks; possibly produced or copied in China as GP7 from 2015 or technology used in development of GP7', [
        'link for Type-98 [tank]',
        'link for Type-99 [tank]',
        'production in=China mode=copy as=GP7 when=from 2015 certainty=possibly',
        'production in=China(recipient) mode=development as=GP7',
    ]),
    ('Zhuk-8 version; for modernization of J-8B (J-8-II) combat aircraft to J-8IIM', [
        'variant Zhuk-8',
        'modernisation of J-8B [combat aircraft] aka=J-8-II to=J-8IIM',
    ]),
    ('D-30KP-2 version; for H-6K bomber aircraft and Y-20A transport aircraft produced in China and modernization of Il-76 transport aircraft', [
        'variant D-30KP-2',
        'link for H-6K [bomber aircraft] produced_in=China local=yes',
        'link for Y-20A [transport aircraft] produced_in=China local=yes',
        'modernisation of Il-76 [transport aircraft]',
    ]),
    ('AL-31F version for J-15 combat aircraft produced in China and spare engines for Su-27 and J-11 combat aircraft', [
        'variant AL-31F',
        'link for J-15 [combat aircraft] produced_in=China local=yes',
        'link spares Su-27 [combat aircraft]',
        'link spares J-11 [combat aircraft]',
    ]),
    ('D-30KP-2 version; for H-6K combat aircraft and Y-20A transport aircraft produced in China', [
        'variant D-30KP-2',
        'link for H-6K [combat aircraft] produced_in=China local=yes',
        'link for Y-20A [transport aircraft] produced_in=China local=yes',
    ]),
    ('Chinese designation Chengdu', [
        'designation Chengdu by=China',
    ]),
    ('More produced after 1960 Chino-Soviet break', [
        'production in=China(recipient) mode=production n=more when=after 1960 Chino-Soviet break',
    ]),
    ('Incl 6 Second-hand (but only few years old) and 14 produced in China', [
        'production in=China mode=production n=14',
    ]),
    ('Most assembled/produced in China; Chinese designation Type-010 (more produced after 1960 China-Soviet Union break)', [
        'production in=China mode=assembly n=most',
        'designation Type-010 by=China',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Assembled in China; assembly delayed after 1960 break with Soviet Union; mainly for testing of Chinese submarine-launched ballistic missiles', [
        'production in=China mode=assembly',
    ]),
    ('$2 b deal; Su-35S version', [
        'variant Su-35S',
    ]),
    ('Incl 2 assembled from kits and 19 produced under licence in China; Chinese designation Type-03', [
        'production in=China(recipient) mode=kits n=2',
        'production in=China mode=licence n=19 licensed=yes',
        'designation Type-03 by=China',
    ]),
    ('Most assembled/produced in China from kits delivered before 1960 China-Soviet Union break; more produced as illegal copy after 1960 China-Soviet Union break as J-6 (F-6)', [
        'production in=China mode=kits n=most when=before 1960 China-Soviet Union break',
        'production in=China(recipient) mode=copy as=J-6 aka=F-6 n=more when=after 1960 China-Soviet Union break licensed=no',
    ]),
    ('Chinese designation JJ-2 (FT-2); more produced after 1960 China-Soviet Union break', [
        'designation JJ-2 aka=FT-2 by=China',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Most assembled/produced in China as Type-3 or CJ-5; later developed in China to CJ-6 (BT-6)', [
        'production in=China mode=assembly as=Type-3 aka=CJ-5 n=most',
        'production in=China mode=development as=CJ-6 aka=BT-6',
    ]),
    ('Incl assembly/production in China as Z-5 (H-5); more produced after 1960 China-Soviet Union break', [
        'production in=China mode=assembly as=Z-5 aka=H-5',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Incl 767 assembled/produced in China; Chinese designation J-4 (F-4) and J-5 (F-5)', [
        'production in=China mode=assembly n=767',
        'designation J-4 aka=F-4 by=China',
        'designation J-5 aka=F-5 by=China',
    ]),
    ('Most produced in China; Chinese designation Y-5 (C-5); more produced after 1960 China-Soviet Union break', [
        'production in=China mode=production n=most',
        'designation Y-5 aka=C-5 by=China',
        'production in=China(recipient) mode=production n=more when=after 1960 China-Soviet Union break',
    ]),
    ('More produced (as illegal copy) after 1960 China-Soviet Union break as CT-5 (BT-5)', [
        'production in=China(recipient) mode=copy as=CT-5 aka=BT-5 n=more when=after 1960 China-Soviet Union break licensed=no',
    ]),
    ('Incl assembly/production in China; more produced after 1960 China-Soviet Union break as Type-59', [
        'production in=China mode=assembly',
        'production in=China(recipient) mode=production as=Type-59 n=more when=after 1960 China-Soviet Union break',
    ]),
    ('Mi-171 or Mi-171E version; possibly assembled in China from kits', [
        'variant Mi-171',
        'variant Mi-171E',
        'production in=China mode=kits certainty=possibly',
    ]),
    ('Chinese designation H-5 (B-5); more produced as illegal copy after 1960 China-Soviet Union break', [
        'designation H-5 aka=B-5 by=China',
        'production in=China(recipient) mode=copy n=more when=after 1960 China-Soviet Union break licensed=no',
    ]),
    ('For S-300PMU-2 (SA-20B) SAM system', [
        'link for S-300PMU-2 [SAM system] aka=SA-20B',
    ]),
    ('Possibly second-hand (but maximum only few years old) and/or B-33 version from Czechoslovak production line', [
        'variant B-33',
    ]),
    ('Spare engines for Su-35 combat aircraft', [
        'link spares Su-35 [combat aircraft]',
    ]),
    ('Mi-171E version; possibly for incl police or other non-military government agency', [
        'variant Mi-171E',
    ]),
    ('Part of $1.5-2.5 b deal for 200 but about 95 cancelled; assembled from kits; Chinese designation J-11', [
        'production in=China(recipient) mode=kits',
        'designation J-11 by=China',
    ]),
    ('$667 m deal; Project-956E version; originally ordered for Soviet Union/Russia but cancelled before completion and sold to China', [
        'variant Project-956E',
    ]),
    ('$1-1.5 b deal; Type-956EM version; option on 2 more not used', [
        'variant Type-956EM',
    ]),
    ('For Kashtan AD system on Project-956EM (Sovremenny) destroyers', [
        'link for Kashtan [AD system]',
        'link on Project-956EM [destroyer] aka=Sovremenny',
    ]),
    ('9M38M2 (SA-N-12) version; for Type-052B (Luyang-1) destroyers', [
        'variant 9M38M2 aka=SA-N-12',
        'link for Type-052B [destroyer] aka=Luyang-1',
    ]),
    ('For 2 Type-052B (Luyang-1) destroyers produced in China', [
        'link for Type-052B [destroyer] n=2 aka=Luyang-1 produced_in=China local=yes',
    ]),
    ('For 2 Type-052B (Luyang-1); 2 Type-052C (Luyang-2) and 2 Type-051C (Luzhou) destroyers produced in China', [
        'link for Type-052B [destroyer] n=2 aka=Luyang-1 produced_in=China local=yes',
        'link for Type-052C [destroyer] n=2 aka=Luyang-2 produced_in=China local=yes',
        'link for Type-051C [destroyer] n=2 aka=Luzhou produced_in=China local=yes',
    ]),
    ('For 2 Type-051C (Luzhou) and 2 Type-052B (Luyang-1) destroyers produced in China; probably produced (possibly without license) in China', [
        'link for Type-051C [destroyer] n=2 aka=Luzhou produced_in=China local=yes',
        'link for Type-052B [destroyer] n=2 aka=Luyang-1 produced_in=China local=yes',
        'production in=China mode=production certainty=probably',
    ]),
    ('For 2 Type-052B (Luyang-1) destroyers produced in China; possibly incl production in China', [
        'link for Type-052B [destroyer] n=2 aka=Luyang-1 produced_in=China local=yes',
        'production in=China mode=production certainty=possibly',
    ]),
    ('For 2 Type-051C (Luzhou or Shenyang) destroyers produced in China', [
        'link for Type-051C [destroyer] n=2 aka=Luzhou|Shenyang produced_in=China local=yes',
    ]),
    ('For Type-636 (Kilo) submarines', [
        'link for Type-636 [submarine] aka=Kilo',
    ]),
    ('9M38M1 (SA-N-7) version; for Type-956EM (Sovremenny or Hangzhou) destroyers', [
        'variant 9M38M1 aka=SA-N-7',
        'link for Type-956EM [destroyer] aka=Sovremenny|Hangzhou',
    ]),
    ('For Type-877 and Type-636 (Kilo) submarines', [
        'link for Type-877 [submarine]',
        'link for Type-636 [submarine] aka=Kilo',
    ]),
    ('For Type-051C (Luzhou or Shenyang) destroyers', [
        'link for Type-051C [destroyer] aka=Luzhou|Shenyang',
    ]),
    ('For Project-636 (Kilo) submarines', [
        'link for Project-636 [submarine] aka=Kilo',
    ]),
    ('For Project-877 and Project-636 (Kilo) submarines', [
        'link for Project-877 [submarine]',
        'link for Project-636 [submarine] aka=Kilo',
    ]),
    ('For Sovremenny (Hangzhou) destroyers', [
        'link for Sovremenny [destroyer] aka=Hangzhou',
    ]),
    ('For Project-956 (Sovremenny) destroyers', [
        'link for Project-956 [destroyer] aka=Sovremenny',
    ]),
    ('For MiG-21F combat aircraft; later copied and produced in China as PL-2', [
        'link for MiG-21F [combat aircraft]',
        'production in=China mode=copy as=PL-2',
    ]),
    ('Part of 24 (incl 4 Su-27UBK version) ordered in $700 m deal (offsets 40%) from Soviet Union incl 3 delivered from Soviet Union before break-up of Soviet Union and 21 from Russia', [
        'variant Su-27UBK n=4',
    ]),
    ('For Su-27 and Su-30 combat aircraft', [
        'link for Su-27 [combat aircraft]',
        'link for Su-30 [combat aircraft]',
    ]),
    ('$200 m deal; probably Mi-171 and/or Mi-17V-5 and/or Mi-17V-7 version', [
        'variant Mi-171 certainty=probably',
        'variant Mi-17V-5 certainty=probably',
        'variant Mi-17V-7 certainty=probably',
    ]),
    ('Prior to Chinese production of improved version as Hegu', [
        'production in=China mode=development as=Hegu',
    ]),
    ('Ivchenko AI-20K (4000hp) turboprop for modernization of 10 Tu-4 bomber aircraft', [
        'model Ivchenko AI-20K',
        'modernisation of Tu-4 [bomber aircraft] n=10',
    ]),
    ('Possibly Second-hand; Chinese designation Du-4; aid', [
        'designation Du-4 by=China',
    ]),
    ('For Su-27 combat aircraft; ordered from Soviet Union and delivered from Russia after break-up of Soviet Union', [
        'link for Su-27 [combat aircraft]',
    ]),
    ('Armed Mi-171Sh version', [
        'variant Mi-171Sh role=armed',
    ]),
    ('Incl 15 assembled from kits in China; Chinese designation Type-1962 and Type-62; later illegally copied and produced in China as F-7', [
        'production in=China mode=kits n=15',
        'designation Type-1962 by=China',
        'designation Type-62 by=China',
        'production in=China mode=copy as=F-7 licensed=no',
    ]),
    ('D-30KP-2 veraion; for H-6K bomber aircraft produced in China and possibly for modernization of Il-76 transport aircraft', [
        'variant D-30KP-2',
        'link for H-6K [bomber aircraft] produced_in=China local=yes',
        'modernisation of Il-76 [transport aircraft] certainty=possibly',
    ]),
    ('$160-200m deal; AL-31FN version for J-10 combat aircraft produced in China; incl spare engines', [
        'variant AL-31FN',
        'link for J-10 [combat aircraft] produced_in=China local=yes',
    ]),
    ('AL-31FN version for J-10 combat aircraft produced in China; probably incl spare engines', [
        'variant AL-31FN',
        'link for J-10 [combat aircraft] produced_in=China local=yes',
    ]),
    ('AL-31F-M2 version for J-20 combat aircraft produced in China', [
        'variant AL-31F-M2',
        'link for J-20 [combat aircraft] produced_in=China local=yes',
    ]),
]


def test_the_fixture_has_the_181_russia_and_soviet_union_to_china_rows():
    assert len(RUSSIA_CHINA) == 181
    assert len({c for c, _ in CHINA_ROWS}) == len(CHINA_ROWS)


@pytest.mark.parametrize("comment, expected", CHINA_ROWS, ids=[c[:60] for c, _ in CHINA_ROWS])
def test_china_row_comments_are_read(comment, expected):
    assert read(extract(comment, recipient="China", supplier="Russia")) == expected


def test_every_china_row_is_listed():
    listed = {c for c, _ in CHINA_ROWS}
    for row in RUSSIA_CHINA:
        x = extract(row["comments"], recipient=row["recipient"], supplier=row["supplier"])
        if row["comments"] in listed:
            continue
        assert not x.findings and not x.leftover, row["comments"]


def test_no_china_row_leaves_a_clause_unexplained():
    assert [r["comments"] for r in RUSSIA_CHINA
            if extract(r["comments"], recipient="China", supplier=r["supplier"]).leftover] == []


# -- the phrases, field by field ------------------------------------------------------------


def test_engine_into_a_chinese_programme():
    x = extract("AL-31FN version for J-10 combat aircraft produced in China", recipient="China", supplier="Russia")
    (variant,), (link,) = x.variants, x.links
    assert variant.name == "AL-31FN"
    assert (link.name, link.kind, link.relation, link.produced_in, link.local) == (
        "J-10", "combat aircraft", "for", "China", True)
    assert link.phrase == "for J-10 combat aircraft produced in China"
    assert variant.phrase == "AL-31FN version for J-10 combat aircraft produced in China"
    assert x.understood


def test_series_version_is_one_variant():
    x = extract("$700 m deal; AL-31FN Series-3 version for J-10 combat aircraft produced in China", recipient="China")
    assert [v.name for v in x.variants] == ["AL-31FN Series-3"]
    assert [n.kind for n in x.notes] == ["deal"]


def test_local_programme_and_foreign_spares_in_one_phrase():
    x = extract("AL-31F version for J-15 combat aircraft produced in China and spare engines for Su-27 and J-11 "
                "combat aircraft", recipient="China", supplier="Russia")
    assert [(l.name, l.relation, l.produced_in, l.local) for l in x.links] == [
        ("J-15", "for", "China", True), ("Su-27", "spares", None, None), ("J-11", "spares", None, None)]


def test_a_phrase_naming_two_programmes_gives_two_links():
    x = extract("D-30KP-2 version; for H-6K bomber aircraft and Y-20A transport aircraft produced in China and "
                "modernization of Il-76 transport aircraft", recipient="China")
    assert [(l.name, l.kind, l.local) for l in x.links] == [
        ("H-6K", "bomber aircraft", True), ("Y-20A", "transport aircraft", True)]
    assert [(m.name, m.kind, m.to) for m in x.modernisations] == [("Il-76", "transport aircraft", None)]
    assert x.links[0].phrase == "for H-6K bomber aircraft and Y-20A transport aircraft produced in China"


def test_count_alias_and_use_with():
    x = extract("For 50 Type-054A (Jiangkai-2) frigates produced in China; for use with HHQ-16 SAM", recipient="China")
    frigate, sam = x.links
    assert (frigate.name, frigate.aliases, frigate.kind, frigate.count, frigate.local) == (
        "Type-054A", ("Jiangkai-2",), "frigate", "50", True)
    assert (sam.name, sam.kind, sam.relation) == ("HHQ-16", "SAM", "use_with")


def test_variant_with_alias_then_destroyers():
    x = extract("9M38M2 (SA-N-12) version; for Type-052B (Luyang-1) destroyers", recipient="China")
    assert [(v.name, v.aliases) for v in x.variants] == [("9M38M2", ("SA-N-12",))]
    assert [(l.name, l.aliases, l.kind, l.local) for l in x.links] == [("Type-052B", ("Luyang-1",), "destroyer", None)]


def test_modernisation_from_and_to():
    x = extract("Zhuk-8 version; for modernization of J-8B (J-8-II) combat aircraft to J-8IIM", recipient="China")
    (m,) = x.modernisations
    assert (m.name, m.aliases, m.kind, m.to) == ("J-8B", ("J-8-II",), "combat aircraft", "J-8IIM")
    assert [v.name for v in x.variants] == ["Zhuk-8"] and not x.links


def test_kits_and_chinese_designation_but_no_programme_from_money():
    x = extract("Part of $1.5-2.5 b deal for 200 but about 95 cancelled; assembled from kits; Chinese designation J-11",
                recipient="China")
    assert not x.links and not x.modernisations
    (production,) = x.productions
    assert (production.mode, production.country, production.country_stated) == ("kits", "China", False)
    assert [(d.name, d.country) for d in x.designations] == [("J-11", "China")]
    assert x.understood


def test_production_of_a_named_item_under_a_local_name():
    x = extract("including production of Kh-31P in China as KR-1", recipient="China")
    (p,) = x.productions
    assert (p.item, p.country, p.local_name, p.country_stated) == ("Kh-31P", "China", "KR-1", True)


def test_indian_aircraft_carrier_with_two_aliases():
    x = extract("For 1 Vikrant (IAC or Project-71) aircraft carrier produced in India", recipient="India")
    (link,) = x.links
    assert (link.name, link.aliases, link.kind, link.count, link.produced_in, link.local) == (
        "Vikrant", ("IAC", "Project-71"), "aircraft carrier", "1", "India", True)


def test_indian_frigates_and_licence():
    x = extract("for 3 Shivalik (Project-17) frigates produced in India; produced under licence in India",
                recipient="India", supplier="France")
    assert read(x) == ["link for Shivalik [frigate] n=3 aka=Project-17 produced_in=India local=yes",
                       "production in=India mode=licence licensed=yes"]


# -- invented edge cases ----------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [
    "Second-hand", "Second-hand; aid", "$2 b deal", "For training", "For police; status uncertain",
    "Part of $1.5-2.5 b deal for 200 but about 95 cancelled", "For 200", "For 12 combat aircraft",
    "$200 m deal (offsets 60% as barter); incl 3 for military-owned airline", "for use on aircraft carrier",
    "Ordered from Soviet Union and delivered from Russia after break-up of Soviet Union",
])
def test_a_comment_naming_no_programme_gives_no_link(comment):
    x = extract(comment, recipient="China", supplier="Russia")
    assert not x.links and not x.modernisations, x.summary()


@pytest.mark.parametrize("comment", ["for Su-30", "For Su-30", "For Su-30 combat aircraft",
                                     "Incl for Su-27 and Su-30 combat aircraft"])
def test_a_russian_aircraft_is_not_taken_for_a_chinese_programme(comment):
    x = extract(comment, recipient="China", supplier="Russia")
    assert x.links and all(l.name.startswith("Su-") and l.produced_in is None and l.local is None for l in x.links)


def test_local_by_the_comments_own_designation():
    x = extract("Spare engines for J-11 combat aircraft; Chinese designation J-11", recipient="China")
    assert [(l.name, l.local) for l in x.links] == [("J-11", True)]


@pytest.mark.parametrize("comment, recipient", [
    ("For 2 Naresuan frigates from China", "Thailand"),
    ("SMART-S Mk-2 version; for 4 MilGem frigates produced in Turkey", "Pakistan"),
    ("For 3 Talwar frigates from Russia", "India"),
])
def test_a_platform_placed_elsewhere_is_not_local(comment, recipient):
    (link,) = extract(comment, recipient=recipient).links
    assert link.local is False


def test_produced_in_the_recipient_by_another_spelling():
    (link,) = extract("For 2 Rattanakosin corvettes from USA", recipient="United States").links
    assert link.local is False and link.from_country == "USA"
    assert same_country("USA", "United States") and same_country("Viet Nam", "Vietnam")


def test_hedges_case_and_plurals():
    x = extract("Probably for T-90 and possibly T-72 tanks", recipient="India")
    assert [(l.name, l.kind, l.certainty) for l in x.links] == [
        ("T-90", "tank", "probably"), ("T-72", "tank", "possibly")]
    assert read(extract("for T-90 tanks", recipient="India")) == read(extract("For T-90 tanks", recipient="India"))
    assert [l.kind for l in extract("For 1 Type-052 (Luhu) destroyer", recipient="China").links] == ["destroyer"]


def test_ordered_then_produced_under_licence_as_a_local_name():
    x = extract("Ordered from Soviet Union and produced under Russian licence after break-up of Soviet Union as Sarath",
                recipient="India")
    (p,) = x.productions
    assert (p.mode, p.local_name, p.licensed, p.country) == ("licence", "Sarath", True, "India")
    assert [n.kind for n in x.notes] == ["order"] and x.understood


def test_a_semicolon_list_continues_and_lends_kind_and_place():
    x = extract("For 2 Type-052B (Luyang-1); 2 Type-052C (Luyang-2) and 2 Type-051C (Luzhou) destroyers "
                "produced in China", recipient="China")
    assert [(l.name, l.kind, l.produced_in) for l in x.links] == [
        ("Type-052B", "destroyer", "China"), ("Type-052C", "destroyer", "China"), ("Type-051C", "destroyer", "China")]


def test_what_the_rules_do_not_understand_is_left_verbatim():
    comment = "Zhuk-8 version; in 3 batches; reaction on Pakistani acquisition of 320 T-80UB tanks"
    x = extract(comment, recipient="China")
    assert x.leftover == ("in 3 batches", "reaction on Pakistani acquisition of 320 T-80UB tanks")
    assert not x.understood and [v.name for v in x.variants] == ["Zhuk-8"]


def test_empty_comment():
    x = extract("", recipient="China")
    assert x.findings == () and x.leftover == () and x.understood


# -- the whole register -----------------------------------------------------------------------------


def test_every_register_comment_is_read_and_every_phrase_is_a_quote():
    for row in ROWS:
        x = extract(row["comments"], recipient=row["recipient"], supplier=row["supplier"])
        for finding in list(x.findings) + list(x.notes):
            assert finding.phrase and finding.phrase in row["comments"], (row["comments"], finding)
        for clause in x.leftover:
            assert clause in row["comments"]


def test_register_coverage_does_not_fall():
    """2,160 of the 2,643 rows have comments; 1,550 give a finding; 114 clauses (in 95 rows) are left."""
    extractions = [extract(r["comments"], recipient=r["recipient"], supplier=r["supplier"])
                   for r in ROWS if r["comments"]]
    assert len(extractions) == 2160
    assert sum(bool(x.findings) for x in extractions) >= 1540
    assert sum(len(x.leftover) for x in extractions) <= 120

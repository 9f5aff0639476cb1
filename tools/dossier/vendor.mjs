// Copy the graph library's built files and licences from node_modules into the Python package
// (queries/dossier_assets/), and record name, version, licence and SHA-256 in vendor.json.
//   npm ci --prefix tools/dossier && node tools/dossier/vendor.mjs
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '..', '..', 'queries', 'dossier_assets');

// load order matters: ELK, then Cytoscape, then the adapter that joins them
const LIBRARIES = [
  { name: 'elkjs', file: 'lib/elk.bundled.js', as: 'elk.bundled.js', licence: 'LICENSE.md', licenceAs: 'elkjs.LICENSE.md',
    role: 'ELK Layered, the layered (Sugiyama) layout: layers, crossing minimisation, node placement' },
  { name: 'cytoscape', file: 'dist/cytoscape.min.js', as: 'cytoscape.min.js', licence: 'LICENSE', licenceAs: 'cytoscape.LICENSE',
    role: 'Cytoscape.js: the graph view, pan and zoom, styles, selection, events' },
  { name: 'cytoscape-elk', file: 'dist/cytoscape-elk.js', as: 'cytoscape-elk.js', licence: 'LICENSE', licenceAs: 'cytoscape-elk.LICENSE',
    role: 'the adapter that runs ELK as a Cytoscape.js layout' },
];

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const out = LIBRARIES.map((lib) => {
  const root = join(here, 'node_modules', lib.name);
  const meta = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  copyFileSync(join(root, lib.file), join(assets, lib.as));
  copyFileSync(join(root, lib.licence), join(assets, lib.licenceAs));
  return {
    name: lib.name, version: meta.version, licence: meta.license, role: lib.role,
    homepage: meta.homepage || String(meta.repository?.url ?? meta.repository).replace(/^git\+/, '').replace(/\.git$/, ''),
    source: `npm:${lib.name}@${meta.version}/${lib.file}`,
    file: lib.as, licence_file: lib.licenceAs, sha256: sha256(join(assets, lib.as)),
  };
});
writeFileSync(join(assets, 'vendor.json'), JSON.stringify(out, null, 2) + '\n');
for (const lib of out) console.log(`${lib.name}@${lib.version} (${lib.licence}) -> ${lib.file}`);

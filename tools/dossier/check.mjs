// Open an evidence dossier in headless Chromium (the machine's /usr/bin/chromium, driven by playwright-core;
// no browser is downloaded) and report what a reader would meet: console messages, page errors, dialogs,
// every network request, CSP violations, the graph's size, screenshots, and what clicking shows.
//
// stdin: JSON {"page": "/abs/path.html", "chromium": "/usr/bin/chromium", "graph_png": "out.png",
//              "page_png": "page.png", "full_png": "whole-page.png", "section_png": "graph-section.png",
//              "hop_fit": false (click the hop where it is, without zooming to it), "viewport": [1400, 1000], "hop": 3, "node": "state:russia",
//              "confidence": "0.9", "timeout_ms": 60000}
// stdout: JSON with the findings (see `report` below).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const [width, height] = job.viewport || [1400, 1000];
const timeout = job.timeout_ms || 60000;
const profile = mkdtempSync(join(tmpdir(), 'coopgraph-dossier-chromium-'));

// let scroll events reach the page (Cytoscape.js re-reads its container's position on them) and a frame pass
const settle = async (page) => {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForTimeout(200);
};

const report = { console: [], pageErrors: [], dialogs: [], requests: [], cspViolations: [], ready: false };
const pageUrl = pathToFileURL(job.page).href;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: job.chromium || '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (msg) => report.console.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (err) => report.pageErrors.push(String(err && err.stack || err)));
  page.on('dialog', async (dialog) => { report.dialogs.push({ type: dialog.type(), message: dialog.message() }); await dialog.dismiss(); });
  context.on('request', (req) => report.requests.push({ url: req.url(), type: req.resourceType() }));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (ev) => {
      (window.__csp = window.__csp || []).push(`${ev.violatedDirective} ${ev.blockedURI}`);
    });
  });

  const started = Date.now();
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForSelector('body[data-graph]', { timeout });
  report.readyMs = Date.now() - started;
  report.ready = await page.evaluate(() => window.coopgraphDossier && window.coopgraphDossier.ready === true);
  report.graph = await page.evaluate(() => {
    const cy = window.coopgraphDossier.cy;
    if (!cy) return null;
    const box = (eles) => { const b = eles.renderedBoundingBox(); return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }; };
    // nodes whose boxes overlap (drawn on top of each other)
    const nodes = cy.nodes(':visible').map((n) => n.boundingBox({ includeLabels: true }));
    let overlaps = 0;
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i], b = nodes[j];
      if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) overlaps++;
    }
    return { nodes: cy.nodes().length, edges: cy.edges().length, visibleNodes: cy.nodes(':visible').length,
      visibleEdges: cy.edges(':visible').length, zoom: cy.zoom(), box: box(cy.elements()),
      width: cy.width(), height: cy.height(), overlaps };
  });
  report.bodyText = await page.evaluate(() => document.body.innerText);
  report.scriptsInBody = await page.evaluate(() => [...document.querySelectorAll('script')].map((s) => s.getAttribute('data-asset') || s.type || 'inline'));
  report.filterCount = await page.evaluate(() => (document.getElementById('filter-count') || {}).textContent || '');
  if (job.page_png) await page.screenshot({ path: job.page_png });
  if (job.full_png) await page.screenshot({ path: job.full_png, fullPage: true });
  if (job.graph_png) await page.locator('#cy').screenshot({ path: job.graph_png });

  if (job.hop) {
    // bring the hop into view, then click the middle of its line as a person would
    await page.locator('#cy').scrollIntoViewIfNeeded();
    await settle(page);
    const where = await page.evaluate(([n, fit]) => {
      const cy = window.coopgraphDossier.cy;
      const edge = cy.getElementById(`hop-${n}`);
      if (fit) cy.fit(edge.connectedNodes(), 120);
      const mid = edge.renderedMidpoint();
      const rect = cy.container().getBoundingClientRect();
      return { x: rect.left + mid.x, y: rect.top + mid.y };
    }, [job.hop, job.hop_fit !== false]);
    await page.mouse.click(where.x, where.y);
    report.hopDetails = await page.locator('#details').innerText();
    report.hopSelected = await page.evaluate(() => window.coopgraphDossier.cy.edges(':selected').map((e) => e.data('hop')));
    if (job.hop_png) await page.screenshot({ path: job.hop_png });
    if (job.section_png) await page.locator('#graph').screenshot({ path: job.section_png });
  }
  if (job.node) {
    await page.locator('#cy').scrollIntoViewIfNeeded();
    await settle(page);
    const where = await page.evaluate((id) => {
      const cy = window.coopgraphDossier.cy;
      const node = cy.getElementById(id);
      cy.fit(node.closedNeighborhood(), 120);
      const p = node.renderedPosition();
      const rect = cy.container().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    }, job.node);
    await page.mouse.click(where.x, where.y);
    report.nodeDetails = await page.locator('#details').innerText();
    if (job.node_png) await page.screenshot({ path: job.node_png });
  }
  if (job.confidence !== undefined) {
    await page.locator('input[name=confidence]').fill(String(job.confidence));
    report.filtered = await page.evaluate(() => {
      const cy = window.coopgraphDossier.cy;
      return {
        count: document.getElementById('filter-count').textContent,
        // drawn: the computed display style (what the renderer reads), not the cached :visible state
        shownEdges: cy ? cy.edges().filter((e) => e.pstyle('display').value !== 'none').length : null,
        shownNodes: cy ? cy.nodes().filter((n) => n.pstyle('display').value !== 'none').length : null,
        rowsOut: document.querySelectorAll('tr.route.filtered-out').length,
      };
    });
    if (job.filtered_png) await page.locator('#cy').screenshot({ path: job.filtered_png });
  }
  report.cspViolations = await page.evaluate(() => window.__csp || []);
} catch (err) {
  report.failure = String(err && err.stack || err);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
report.pageUrl = pageUrl;
process.stdout.write(JSON.stringify(report));

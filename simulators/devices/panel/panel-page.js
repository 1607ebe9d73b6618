/* global document, window */
/**
 * Simulator panel logic: plain browser JavaScript, no build step. Each control calls one route
 * of the device simulators' control API (same origin) or the bank simulator's admin API.
 */

const $ = (id) => document.getElementById(id);
const BANK_KEY = 'panel.bankUrl';

function log(text, ok) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  if (!ok) li.className = 'fail';
  $('log').prepend(li);
}

async function call(method, path, body) {
  const label = `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`;
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    log(`${label} -> ${res.status} ${text.slice(0, 200)}`, res.ok);
    return res.ok;
  } catch (err) {
    log(`${label} -> ${err instanceof Error ? err.message : String(err)}`, false);
    return false;
  }
}

function button(text, onClick, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

const tenge = (n) => `${n.toLocaleString('ru-RU')} ₸`;

function renderWorld(world) {
  const notes = $('notes');
  for (const d of world.denominations) notes.append(button(tenge(d), () => call('POST', '/cash-acceptor/insert', { denomination: d })));
  notes.append(button('Counterfeit note', () => call('POST', '/cash-acceptor/insert', { counterfeit: true }), 'danger'));

  const cards = $('cards');
  for (const c of world.cards) {
    const li = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = `${c.masked}  ${c.name}  exp ${c.expiry.slice(2)}/${c.expiry.slice(0, 2)}${c.customer ? `  (${c.customer})` : ''}`;
    li.append(label, button('Insert', () => call('POST', '/card-reader/insert', { pan: c.pan, expiry: c.expiry, name: c.name })));
    cards.append(li);
  }

  const palms = $('palms');
  for (const p of world.palmSubjects) {
    palms.append(button(`Present ${p.subject}${p.customer ? ` (${p.customer})` : ''}`, () => call('POST', '/palm/present', { subject: p.subject })));
  }
  palms.append(button('Present unknown palm', () => call('POST', '/palm/present', { subject: 'palm-unknown' })));
  palms.append(button('Present fake palm', () => call('POST', '/palm/present', { fake: true }), 'danger'));

  const saved = localStorage.getItem(BANK_KEY);
  $('bank-url').value = saved || world.bankUrl;
}

function renderDevices(devices) {
  const root = $('devices');
  root.replaceChildren();
  for (const d of devices) {
    const box = document.createElement('div');
    box.className = 'device';
    const title = document.createElement('h3');
    title.textContent = `${d.kind} (${d.protocol})`;
    const where = document.createElement('code');
    where.textContent = d.endpoint ? `${d.endpoint.type}: ${d.endpoint.path}` : '';
    const state = document.createElement('pre');
    state.textContent = JSON.stringify(d.state, null, 1);
    const faults = document.createElement('div');
    faults.className = 'buttons';
    for (const f of d.faults) {
      const b = button(f, () => call('POST', '/faults', { device: d.kind, fault: f }), 'danger');
      // Several devices share fault names (unplugged): the accessible name says which device.
      b.setAttribute('aria-label', `Set fault ${f} on ${d.kind}`);
      faults.append(b);
    }
    box.append(title, where, state, faults);
    root.append(box);
  }
}

let receiptCount = -1;
function renderReceipts(receipts) {
  if (receipts.length === receiptCount) return;
  receiptCount = receipts.length;
  const root = $('receipts');
  root.replaceChildren();
  for (const r of [...receipts].reverse()) {
    const paper = document.createElement('figure');
    paper.className = r.truncated ? 'paper truncated' : 'paper';
    const img = document.createElement('img');
    img.alt = `Receipt ${r.index} printed ${r.time ?? ''}`;
    img.src = `/printer/receipts/${r.index}.svg`;
    // Without the image route, show the printed text lines as they came out.
    img.addEventListener('error', () => {
      img.remove();
      paper.textContent = (r.lines ?? []).join('\n');
    });
    paper.append(img);
    root.append(paper);
  }
}

let smsSeen = '';
function renderSms(messages) {
  const key = messages.map((m) => m.id).join(',');
  if (key === smsSeen) return;
  smsSeen = key;
  const root = $('sms');
  root.replaceChildren();
  for (const m of [...messages].reverse()) {
    const li = document.createElement('li');
    li.textContent = `${m.at ?? ''}  ${m.phone}  [${m.channel ?? 'sms'}]  ${m.text}`;
    root.append(li);
  }
}

let appSeen = '';
/** the customer's bank app: what the bank pushed to it (codes, receipts), newest first */
function renderAppInbox(messages) {
  const key = messages.map((m) => m.id).join(',');
  if (key === appSeen) return;
  appSeen = key;
  const root = $('app-inbox');
  root.replaceChildren();
  for (const m of [...messages].reverse()) {
    const li = document.createElement('li');
    li.textContent = `${m.at ?? ''}  ${m.text}`;
    root.append(li);
  }
}

let appCustomersLoaded = '';
/** fills the customer list with those the bank says have its app (once per bank URL) */
async function loadAppCustomers(base) {
  if (appCustomersLoaded === base) return;
  const body = await getJson(`${base}/admin/customers`).catch(() => null);
  if (!body || !Array.isArray(body.customers)) return;
  appCustomersLoaded = base;
  const select = $('app-customer');
  const chosen = select.value;
  select.replaceChildren();
  for (const c of body.customers.filter((x) => x.hasApp)) {
    const option = document.createElement('option');
    option.value = c.id;
    option.textContent = `${c.name ?? c.id} (${c.id})`;
    select.append(option);
  }
  if (chosen) select.value = chosen;
}

let fleetSeen = '';
/** the bank's fleet view (GET /admin/terminals): one row per terminal, what needs a crew last */
function renderFleet(terminals) {
  const key = JSON.stringify(terminals);
  if (key === fleetSeen) return;
  fleetSeen = key;
  const body = $('fleet').querySelector('tbody');
  body.replaceChildren();
  for (const t of terminals) {
    const s = t.status;
    const cells = [
      t.terminalId,
      `${new Date(t.receivedAt).toLocaleTimeString()} (v${s.version})`,
      s.devices.map((d) => `${d.device}: ${d.health}${d.fault ? ` (${d.fault})` : ''}`).join(', '),
      s.cassettes.map((c) => `${c.denomination / 100}: ${c.notes}/${c.capacity}`).join(', '),
      `${s.cashBox.notes}/${s.cashBox.capacity}${s.cashBox.full ? ' FULL' : ''}`,
      s.paper,
      `${s.queue.depth} waiting, oldest ${s.queue.oldestAgeSeconds} s, ${s.queue.deadLetters} dead`,
      `${t.anchor.seq} of ${s.journal.headSeq}`,
      t.attention.join('; ') || 'none',
    ];
    const tr = document.createElement('tr');
    if (t.attention.length > 0) tr.className = 'attention';
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} -> ${res.status}`);
  return res.json();
}

async function refresh() {
  await Promise.all([
    getJson('/devices').then(renderDevices, () => undefined),
    getJson('/printer/receipts').then(renderReceipts, () => undefined),
    (async () => {
      const base = $('bank-url').value.trim().replace(/\/+$/, '');
      if (!base) return;
      const phone = $('sms-phone').value.trim();
      const url = new URL(`${base}/admin/sms`);
      if (phone) url.searchParams.set('phone', phone);
      const body = await getJson(url.toString()).catch(() => null);
      if (body && Array.isArray(body.messages)) renderSms(body.messages);
    })(),
    (async () => {
      const base = $('bank-url').value.trim().replace(/\/+$/, '');
      if (!base) return;
      await loadAppCustomers(base);
      const customer = $('app-customer').value;
      if (!customer) return;
      const body = await getJson(`${base}/admin/push?customer=${encodeURIComponent(customer)}`).catch(() => null);
      if (body && Array.isArray(body.messages)) renderAppInbox(body.messages);
    })(),
    (async () => {
      const base = $('bank-url').value.trim().replace(/\/+$/, '');
      if (!base) return;
      const body = await getJson(`${base}/admin/terminals`).catch(() => null);
      if (body && Array.isArray(body.terminals)) renderFleet(body.terminals);
    })(),
  ]);
}

async function main() {
  const world = await getJson('/panel/world.json');
  renderWorld(world);
  $('take-cash').addEventListener('click', () => call('POST', '/dispenser/take'));
  $('remove-card').addEventListener('click', () => call('POST', '/card-reader/remove'));
  $('clear-faults').addEventListener('click', () => call('DELETE', '/faults'));
  for (const b of document.querySelectorAll('[data-damaged]')) {
    b.addEventListener('click', () => call('POST', '/card-reader/insert', { damaged: b.dataset.damaged }));
  }
  for (const b of document.querySelectorAll('[data-switch]')) {
    b.addEventListener('click', () => call('POST', '/service-switch', { open: b.dataset.switch === 'true' }));
  }
  for (const b of document.querySelectorAll('[data-door]')) {
    b.addEventListener('click', () => call('POST', '/cabinet/door', { open: b.dataset.door === 'true' }));
  }
  $('bank-url').addEventListener('change', () => {
    localStorage.setItem(BANK_KEY, $('bank-url').value.trim());
    smsSeen = '';
    appSeen = '';
    appCustomersLoaded = '';
  });
  $('sms-phone').addEventListener('change', () => {
    smsSeen = '';
  });
  $('app-customer').addEventListener('change', () => {
    appSeen = '';
  });
  await refresh();
  setInterval(() => void refresh(), 1500);
  window.panelReady = true;
}

main().catch((err) => log(`panel failed to start: ${err instanceof Error ? err.message : String(err)}`, false));

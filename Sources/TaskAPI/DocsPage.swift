/// `/docs`: renders `/openapi.json` in the browser with no outside scripts (taskd's users
/// may have no internet): every operation with its parameters, body and responses.
enum DocsPage {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>taskd API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:0}.op{border:1px solid #ddd;border-radius:6px;margin:.8em 0;padding:.6em .9em}
.m{display:inline-block;min-width:4.5em;font-weight:700;text-transform:uppercase}.get{color:#0a6}.post{color:#06c}.patch{color:#c80}.delete{color:#c22}
code{background:#f4f4f4;padding:0 .25em;border-radius:3px}details{margin:.3em 0}pre{background:#f7f7f7;padding:.5em;overflow:auto;font-size:13px}
</style></head><body><h1 id="title">taskd API</h1><p id="description"></p><div id="ops">Loading /openapi.json…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('description').textContent = doc.info.description || '';
  const ops = document.getElementById('ops'); ops.textContent = '';
  const esc = s => String(s).replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const div = document.createElement('div'); div.className = 'op';
      let html = `<span class="m ${method}">${method}</span> <code>${esc(path)}</code> ${esc(op.summary || '')}`;
      if (op.security) html += ' <small>(bearer token)</small>';
      if (op.parameters) html += '<details><summary>Parameters</summary><ul>' + op.parameters.map(p =>
        `<li><code>${esc(p.name)}</code> in ${p.in}${p.required ? ', required' : ''}: ${esc(p.description || JSON.stringify(p.schema))}</li>`).join('') + '</ul></details>';
      if (op.requestBody) html += '<details><summary>Body</summary><pre>' + esc(JSON.stringify(op.requestBody.content, null, 1)) + '</pre></details>';
      html += '<details><summary>Responses</summary><ul>' + Object.entries(op.responses).map(([code, r]) =>
        `<li><b>${code}</b> ${esc(r.description)}</li>`).join('') + '</ul></details>';
      div.innerHTML = html; ops.appendChild(div);
    }
  }
  const schemas = document.createElement('details');
  schemas.innerHTML = '<summary>Schemas</summary><pre>' + esc(JSON.stringify(doc.components.schemas, null, 1)) + '</pre>';
  ops.appendChild(schemas);
}).catch(e => { document.getElementById('ops').textContent = 'Could not load /openapi.json: ' + e; });
</script></body></html>
"""#
}

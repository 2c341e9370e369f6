"""`report.html`: one self-contained page that puts provinces side by side.

No network and no CDN: the data, the styles, the charts (inline SVG) and
the script (filters by sector and province, a click on a value shows its
source sentence and page) are all in the one file. A section per sector, a
chart per indicator; where a province has several plans, its values are
shown in date order so that a change of target can be read.
"""
from __future__ import annotations

import html
import json

from extractors.indicators import indicators
from extractors.lexicon import load
from extractors.numbers import format_number

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222}
h1{margin-bottom:.2em} .filters{margin:1em 0;padding:.6em;background:#f3f3f3}
section{margin-top:2em} h2{border-bottom:2px solid #446;padding-bottom:.2em}
.indicator{margin:1.2em 0 2em} h3{margin:.2em 0} h3 small{color:#666;font-weight:normal}
svg.chart text{font-size:12px} svg.chart .bar{fill:#4a6fa5;cursor:pointer} svg.chart .bar:hover{fill:#e07b39}
table{border-collapse:collapse;font-size:.9em;margin-top:.5em} td,th{border:1px solid #ccc;padding:.2em .5em}
th{background:#eee} a.value{cursor:pointer;color:#1a4d8f;text-decoration:underline}
#source{position:fixed;right:1em;bottom:1em;max-width:36em;background:#fffbe6;border:1px solid #d9c36a;
padding:.8em;box-shadow:0 2px 8px #0003;display:none} #source.open{display:block}
.hidden{display:none}
"""

SCRIPT = """
const data = JSON.parse(document.getElementById('data').textContent);
const byId = Object.fromEntries(data.rows.map(r => [r.commitment_id, r]));
function showSource(cid) {
  const r = byId[cid]; const box = document.getElementById('source');
  box.querySelector('.where').textContent =
    `${r.province} — ${r.doc_id}${r.page ? ', page ' + r.page : ''} (${r.commitment_id})`;
  box.querySelector('.sentence').textContent = r.sentence;
  box.classList.add('open');
}
document.querySelectorAll('[data-cid]').forEach(el =>
  el.addEventListener('click', () => showSource(el.dataset.cid)));
document.querySelector('#source button').addEventListener('click', () =>
  document.getElementById('source').classList.remove('open'));
function applyFilters() {
  const sector = document.getElementById('sector').value;
  const province = document.getElementById('province').value;
  document.querySelectorAll('section[data-sector]').forEach(s =>
    s.classList.toggle('hidden', sector !== '' && s.dataset.sector !== sector));
  document.querySelectorAll('[data-province]').forEach(el =>
    el.classList.toggle('hidden', province !== '' && el.dataset.province !== province));
}
document.getElementById('sector').addEventListener('change', applyFilters);
document.getElementById('province').addEventListener('change', applyFilters);
"""


def _value(r: dict) -> str:
    v = format_number(r["value"])
    if r.get("value_max") is not None:
        v += "–" + format_number(r["value_max"])
    sign = {"gt": "> ", "ge": "≥ ", "lt": "< ", "le": "≤ ", "approx": "≈ "}.get(r["comparator"], "")
    return f"{sign}{v} {r['unit']}{'/năm' if r['per_year'] and '/' not in r['unit'] else ''}".strip()


def _chart(ind_id: str, rows: list[dict]) -> str:
    """Horizontal bars, one per commitment, grouped by province and in date order."""
    width, label_w, bar_h, gap = 760, 260, 18, 6
    top = max((r["value_std"] or r["value"] or 0) for r in rows) or 1
    height = len(rows) * (bar_h + gap) + 10
    parts = [f'<svg class="chart" data-indicator="{html.escape(ind_id)}" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(ind_id)} by province">']
    plans = {}
    for r in rows:
        plans.setdefault(r["province"], set()).add(r["doc_id"])
    for k, r in enumerate(rows):
        y = 5 + k * (bar_h + gap)
        value = r["value_std"] or r["value"] or 0
        w = max(2, int((width - label_w - 120) * value / top))
        label = f"{r['province'] or '?'} ({r['target_year'] or '—'})"
        if len(plans[r["province"]]) > 1:  # several plans of one province: say which, in date order
            label += f" · {r['issued_date'] or r['doc_number'] or r['doc_id']}"
        parts.append(
            f'<g data-province="{html.escape(r["province"])}"><text x="0" y="{y + 13}">{html.escape(label)}</text>'
            f'<rect class="bar" data-cid="{html.escape(r["commitment_id"])}" x="{label_w}" y="{y}" width="{w}" '
            f'height="{bar_h}"><title>{html.escape(_value(r))}</title></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 13}">{html.escape(_value(r))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def build_report(commitments: list[dict], documents: list[dict]) -> str:
    labels = indicators()
    sectors = load("sectors")
    by_ind: dict[str, list[dict]] = {}
    for r in commitments:
        if r["indicator_id"]:
            by_ind.setdefault(r["indicator_id"], []).append(r)
    provinces = sorted({r["province"] for r in commitments if r["province"]})
    used_sectors = sorted({labels[i].sector if i in labels else "" for i in by_ind})
    keep = ("commitment_id", "doc_id", "province", "page", "sentence", "indicator_id")
    payload = dict(rows=[{k: r.get(k) for k in keep} for r in commitments])
    out = ["<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
           "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "script-src 'unsafe-inline'\">",
           f"<title>chitieu: targets by province</title><style>{STYLE}</style></head><body>",
           "<h1>Targets by province</h1>",
           f"<p>{len(documents)} documents, {len(provinces)} provinces, {len(commitments)} commitments, "
           f"{len(by_ind)} indicators. Click a value to read its source sentence.</p>",
           "<div class='filters'><label>Sector <select id='sector'><option value=''>all</option>"]
    out += [f"<option value='{html.escape(s)}'>{html.escape(sectors.get(s, {}).get('vi', s))}</option>"
            for s in used_sectors]
    out.append("</select></label> <label>Province <select id='province'><option value=''>all</option>")
    out += [f"<option>{html.escape(p)}</option>" for p in provinces]
    out.append("</select></label></div>")
    for sector in used_sectors:
        s = sectors.get(sector, {})
        out.append(f"<section data-sector='{html.escape(sector)}'><h2>{html.escape(s.get('vi', sector))} "
                   f"<small>({html.escape(s.get('en', ''))})</small></h2>")
        for ind_id in sorted(i for i in by_ind if (labels[i].sector if i in labels else "") == sector):
            ind = labels.get(ind_id)
            rows = sorted(by_ind[ind_id], key=lambda r: (r["province"], r["issued_date"] or "", r["doc_id"],
                                                         r["char_start"]))
            out.append(f"<div class='indicator' id='{html.escape(ind_id)}'><h3>{html.escape(ind.vi if ind else ind_id)}"
                       f" <small>{html.escape(ind.en if ind else '')} · {html.escape(ind_id)}</small></h3>")
            out.append(_chart(ind_id, rows))
            out.append("<table><tr><th>Province</th><th>Plan</th><th>Issued</th><th>Target</th><th>Year</th>"
                       "<th>Scope</th></tr>")
            for r in rows:
                out.append(
                    f"<tr data-province='{html.escape(r['province'])}'><td>{html.escape(r['province'])}</td>"
                    f"<td>{html.escape(r['doc_number'] or r['doc_id'])}</td><td>{html.escape(r['issued_date'] or '')}</td>"
                    f"<td><a class='value' data-cid='{html.escape(r['commitment_id'])}'>{html.escape(_value(r))}</a></td>"
                    f"<td>{r['target_year'] or ''}</td><td>{html.escape(r['scope'] or '')}</td></tr>")
            out.append("</table></div>")
        out.append("</section>")
    out.append("<div id='source'><button type='button' style='float:right'>×</button>"
               "<div class='where'></div><blockquote class='sentence'></blockquote></div>")
    data = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    out.append(f"<script type='application/json' id='data'>{data}</script><script>{SCRIPT}</script></body></html>")
    return "\n".join(out)

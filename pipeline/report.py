"""`report.html`: one self-contained page that puts provinces side by side.

No network and no CDN: the data, the styles, the charts (inline SVG) and the
script are all in the one file. Four parts, all under one set of filters
(sector, province, target year):
- an overview matrix, provinces (and their plans, by date) × indicators, each
  cell a target that opens its source sentence; columns sort on a click;
- per indicator, a chart in the indicator's standard unit only (ranges drawn
  as ranges, comparators written), provinces side by side with target years;
- every commitment, with or without an indicator, in a searchable table, so
  nothing the extractor found is hidden;
- per document: metadata, counts, text condition, a link to its text.
Numbers use Vietnamese notation (7.080 tỷ đồng, 62,8 %). A heading whose
rows are all filtered out is hidden with them.
"""
from __future__ import annotations

import html
import json

from extractors.indicators import indicators
from extractors.lexicon import load
from pipeline.display import scale_for, target
from pipeline.standardise import format_vi

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.2em 2em;color:#222}
h1{margin-bottom:.2em} .filters{position:sticky;top:0;z-index:2;margin:1em 0;padding:.6em;background:#f3f3f3;
border-bottom:1px solid #ddd} .filters label{margin-right:1em}
section{margin-top:2em} h2{border-bottom:2px solid #446;padding-bottom:.2em}
.indicator{margin:1.2em 0 2em} h3{margin:.2em 0} h3 small,h2 small{color:#666;font-weight:normal}
svg.chart text{font-size:12px} svg.chart .bar{fill:#4a6fa5;cursor:pointer} svg.chart .range{fill:#9db4d6;cursor:pointer}
svg.chart .bar:hover,svg.chart .range:hover{fill:#e07b39}
table{border-collapse:collapse;font-size:.88em;margin-top:.5em} td,th{border:1px solid #ccc;padding:.2em .45em;vertical-align:top}
th{background:#eee} #matrix th.sortable{cursor:pointer} #matrix th.sortable:after{content:' ⇅';color:#888}
#matrix td.cell a{display:block;white-space:nowrap}
#matrix tr>:first-child{position:sticky;left:0;background:#fff;z-index:1} #matrix thead tr>:first-child{background:#eee} .wrap{overflow-x:auto;max-width:100%}
a.value{cursor:pointer;color:#1a4d8f;text-decoration:underline} td.num{text-align:right;white-space:nowrap}
#all td.sentence{max-width:40em} .muted{color:#777}
#source{position:fixed;right:1em;bottom:1em;max-width:36em;background:#fffbe6;border:1px solid #d9c36a;
padding:.8em;box-shadow:0 2px 8px #0003;display:none;z-index:3} #source.open{display:block}
.hidden{display:none!important}
"""

SCRIPT = """
const data = JSON.parse(document.getElementById('data').textContent);
const byId = Object.fromEntries(data.rows.map(r => [r.commitment_id, r]));
function showSource(cid) {
  const r = byId[cid]; const box = document.getElementById('source');
  box.querySelector('.where').textContent =
    `${r.province || '?'} — ${r.doc_id}${r.page ? ', page ' + r.page : ''} (${r.commitment_id})`;
  box.querySelector('.sentence').textContent = r.sentence;
  box.classList.add('open');
}
document.querySelectorAll('[data-cid]').forEach(el =>
  el.addEventListener('click', () => showSource(el.dataset.cid)));
document.querySelector('#source button').addEventListener('click', () =>
  document.getElementById('source').classList.remove('open'));
const fold = s => (s || '').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
function keep(el, sector, province, year) {
  return (!sector || el.dataset.sector === sector) && (!province || el.dataset.province === province) &&
         (!year || el.dataset.year === year);
}
function applyFilters() {
  const sector = document.getElementById('sector').value;
  const province = document.getElementById('province').value;
  const year = document.getElementById('year').value;
  const q = fold(document.getElementById('search').value.trim());
  // matrix: an item is a target; a cell, row or column with no item left is hidden
  document.querySelectorAll('#matrix .item').forEach(el =>
    el.classList.toggle('hidden', !keep(el, sector, province, year)));
  document.querySelectorAll('#matrix tbody tr').forEach(tr =>
    tr.classList.toggle('hidden', !tr.querySelector('.item:not(.hidden)')));
  document.querySelectorAll('#matrix th[data-col]').forEach(th => {
    const col = th.dataset.col;
    const any = document.querySelector(`#matrix td[data-col="${col}"] .item:not(.hidden)`);
    document.querySelectorAll(`#matrix [data-col="${col}"]`).forEach(el => el.classList.toggle('hidden', !any));
  });
  // charts and their tables
  document.querySelectorAll('.indicator [data-cid-row]').forEach(el =>
    el.classList.toggle('hidden', !keep(el, sector, province, year)));
  document.querySelectorAll('.indicator').forEach(div =>
    div.classList.toggle('hidden', !div.querySelector('tbody tr:not(.hidden)')));
  // every commitment
  document.querySelectorAll('#all tbody tr').forEach(tr =>
    tr.classList.toggle('hidden', !keep(tr, sector, province, year) || (q && !fold(tr.textContent).includes(q))));
  document.querySelectorAll('#documents tbody tr').forEach(tr =>
    tr.classList.toggle('hidden', !!province && tr.dataset.province !== province));
  // no heading without rows under it
  document.querySelectorAll('section[data-part]').forEach(s =>
    s.classList.toggle('hidden', !s.querySelector('tbody tr:not(.hidden)')));
  const shown = document.querySelectorAll('#all tbody tr:not(.hidden)').length;
  document.getElementById('all-count').textContent = shown;
}
['sector', 'province', 'year'].forEach(id => document.getElementById(id).addEventListener('change', applyFilters));
document.getElementById('search').addEventListener('input', applyFilters);
document.querySelectorAll('#matrix th.sortable').forEach((th, k) => th.addEventListener('click', () => {
  const body = document.querySelector('#matrix tbody');
  const idx = [...th.parentNode.children].indexOf(th);
  const dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = tr => { const td = tr.children[idx]; const n = td.dataset.sort;
    return n === undefined || n === '' ? null : (isNaN(+n) ? n : +n); };
  [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
    if (x === null) return 1; if (y === null) return -1;
    return (x < y ? -1 : x > y ? 1 : 0) * dir; }).forEach(tr => body.appendChild(tr));
}));
applyFilters();
"""


def esc(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _attrs(r: dict, sector: str) -> str:
    return (f"data-province='{esc(r.get('province'))}' data-sector='{esc(sector)}' "
            f"data-year='{esc(r.get('target_year') or '')}'")


def _plan(r: dict) -> str:
    return f"{r.get('doc_number') or r['doc_id']}" + (f" ({r['issued_date']})" if r.get("issued_date") else "")


def _chart(ind_id: str, sector: str, rows: list[dict], shown: tuple[str, float]) -> str:
    """Horizontal bars in the indicator's standard unit, grouped by province, plans in date order;
    a range is drawn from its lower to its upper bound."""
    width, label_w, bar_h, gap = 820, 280, 18, 6
    unit, div = shown
    def hi(r):
        return (r["value_max_std"] if r.get("value_max_std") is not None else r["value_std"]) / div
    top = max(abs(hi(r)) for r in rows) or 1
    span = width - label_w - 170
    height = len(rows) * (bar_h + gap) + 10
    parts = [f'<svg class="chart" data-indicator="{esc(ind_id)}" width="{width}" height="{height}" '
             f'role="img" aria-label="{esc(ind_id)} by province, in {esc(unit or "count")}">']
    plans: dict[str, set] = {}
    for r in rows:
        plans.setdefault(r["province"], set()).add(r["doc_id"])
    for k, r in enumerate(rows):
        y = 5 + k * (bar_h + gap)
        lo = abs(r["value_std"] / div)
        x_lo = max(2, int(span * lo / top))
        label = f"{r['province'] or '?'} ({r['target_year'] or '—'})"
        if len(plans[r["province"]]) > 1:  # several plans of one province: say which, in date order
            label += f" · {r['issued_date'] or r['doc_number'] or r['doc_id']}"
        text = target(r, shown, year=False)
        bars = (f'<rect class="bar" data-cid="{esc(r["commitment_id"])}" x="{label_w}" y="{y}" width="{x_lo}" '
                f'height="{bar_h}"><title>{esc(text)}</title></rect>')
        end = x_lo
        if r.get("value_max_std") is not None:
            end = max(x_lo + 2, int(span * abs(hi(r)) / top))
            bars += (f'<rect class="range" data-cid="{esc(r["commitment_id"])}" x="{label_w + x_lo}" y="{y}" '
                     f'width="{end - x_lo}" height="{bar_h}"><title>{esc(text)}</title></rect>')
        parts.append(f'<g data-cid-row {_attrs(r, sector)}><text x="0" y="{y + 13}">{esc(label)}</text>{bars}'
                     f'<text x="{label_w + end + 6}" y="{y + 13}">{esc(text)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _matrix(rows: list[dict], labels, shown) -> list[str]:
    ids = sorted({r["indicator_id"] for r in rows}, key=lambda i: (labels[i].sector if i in labels else "", i))
    plans: dict[tuple, dict[str, list[dict]]] = {}
    for r in rows:
        key = (r["province"] or "?", r.get("issued_date") or "", r["doc_id"])
        plans.setdefault(key, {}).setdefault(r["indicator_id"], []).append(r)
    out = ["<section data-part='matrix'><h2>Overview <small>provinces and plans × indicators; "
           "click a target to read its sentence, a column heading to sort</small></h2>",
           "<div class='wrap'><table id='matrix'><thead><tr><th class='sortable'>Province</th>"
           "<th class='sortable'>Plan</th>"]
    for i in ids:
        ind = labels.get(i)
        unit = shown.get(i, ("", 1))[0]
        out.append(f"<th class='sortable' data-col='{esc(i)}' data-sector='{esc(ind.sector if ind else '')}' "
                   f"title='{esc(ind.en if ind else i)}'>{esc(ind.vi if ind else i)}<br><small>{esc(i)}"
                   f"{' · ' + esc(unit) if unit else ''}</small></th>")
    out.append("</tr></thead><tbody>")
    for (prov, date, doc), cells in sorted(plans.items()):
        first = next(iter(cells.values()))[0]
        out.append(f"<tr data-province='{esc(prov)}'><td data-sort='{esc(prov)}'>{esc(prov)}</td>"
                   f"<td data-sort='{esc(date or doc)}'>{esc(_plan(first))}</td>")
        for i in ids:
            items = cells.get(i, [])
            sector = labels[i].sector if i in labels else ""
            sort = items[0]["value_std"] if items and items[0].get("value_std") is not None else ""
            links = "".join(f"<a class='value item' data-cid='{esc(r['commitment_id'])}' {_attrs(r, sector)}>"
                            f"{esc(target(r, shown.get(i)))}</a>" for r in items)
            out.append(f"<td class='cell' data-col='{esc(i)}' data-sort='{esc(sort)}'>{links}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div></section>")
    return out


def _all_commitments(commitments: list[dict], labels) -> list[str]:
    out = ["<section data-part='all'><h2>Every commitment <small>with or without an indicator · "
           f"<span id='all-count'>{len(commitments)}</span> shown</small></h2>",
           "<div class='wrap'><table id='all'><thead><tr><th>Province</th><th>Plan</th><th>Sector</th>"
           "<th>Indicator</th><th>Target as printed</th><th>Standardised</th><th>Year</th><th>Sentence</th>"
           "</tr></thead><tbody>"]
    for r in sorted(commitments, key=lambda r: (r["province"] or "", r["doc_id"], r["char_start"])):
        ind = r.get("indicator_id") or ""
        as_printed = dict(r, value_std=None, unit_std="")
        std = target(r, year=False) if r.get("value_std") is not None and r.get("unit_std") else ""
        out.append(
            f"<tr {_attrs(r, r.get('sector') or '')}><td>{esc(r['province'])}</td><td>{esc(_plan(r))}</td>"
            f"<td>{esc(r.get('sector'))}</td>"
            f"<td>{esc(ind) if ind else '<span class=muted>—</span>'}<br><small>{esc(r.get('indicator'))}</small></td>"
            f"<td class='num'><a class='value' data-cid='{esc(r['commitment_id'])}'>"
            f"{esc(target(as_printed, year=False))}</a></td><td class='num'>{esc(std)}</td>"
            f"<td>{esc(r.get('target_year') or '')}</td><td class='sentence'>{esc(r.get('sentence'))}</td></tr>")
    out.append("</tbody></table></div></section>")
    return out


def _documents(documents: list[dict]) -> list[str]:
    out = ["<section data-part='documents'><h2>Documents</h2><div class='wrap'><table id='documents'><thead><tr>"
           "<th>Document</th><th>Province</th><th>Type · number</th><th>Issued</th><th>Title</th><th>Format</th>"
           "<th>Pages</th><th>Text condition</th><th>Restored</th><th>Targets</th><th>Status</th><th>Text</th>"
           "</tr></thead><tbody>"]
    for d in sorted(documents, key=lambda d: d.get("doc_id") or ""):
        if not d.get("doc_id"):
            continue
        cond = d.get("text_condition") or ""
        if d.get("ocr"):
            cond += " · OCR"
        share = d.get("restored_share")
        status = d.get("status") or ""
        if d.get("duplicate_of"):
            status = f"duplicate of {d['duplicate_of']}"
        elif d.get("error"):
            status += f": {d['error']}"
        text = (f"<a href='text/{esc(d['doc_id'])}.txt'>text</a>" if status == "ok" else "")
        out.append(
            f"<tr data-province='{esc(d.get('province'))}'><td>{esc(d['doc_id'])}</td><td>{esc(d.get('province'))}</td>"
            f"<td>{esc(' '.join(x for x in (d.get('doc_type'), d.get('doc_number')) if x))}</td>"
            f"<td>{esc(d.get('issued_date'))}</td><td>{esc(d.get('title'))}</td><td>{esc(d.get('format'))}</td>"
            f"<td class='num'>{esc(d.get('pages') or '')}</td><td>{esc(cond)}</td>"
            f"<td class='num'>{esc(format_vi(share * 100) + ' %' if share else '')}</td>"
            f"<td class='num'>{esc(d.get('n_commitments') if d.get('n_commitments') is not None else '')}</td>"
            f"<td>{esc(status)}</td><td>{text}</td></tr>")
    out.append("</tbody></table></div></section>")
    return out


def build_report(commitments: list[dict], documents: list[dict]) -> str:
    labels = indicators()
    sectors = load("sectors")
    with_ind = [r for r in commitments if r.get("indicator_id") and r.get("value_std") is not None]
    shown = scale_for(with_ind)
    by_ind: dict[str, list[dict]] = {}
    for r in with_ind:
        by_ind.setdefault(r["indicator_id"], []).append(r)
    provinces = sorted({r["province"] for r in commitments if r.get("province")})
    years = sorted({r["target_year"] for r in commitments if r.get("target_year")})
    used_sectors = sorted({r.get("sector") or "" for r in commitments} - {""})
    keep = ("commitment_id", "doc_id", "province", "page", "sentence")
    payload = dict(rows=[{k: r.get(k) for k in keep} for r in commitments])
    n_docs = sum(1 for d in documents if d.get("doc_id") and not d.get("duplicate_of"))
    out = ["<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
           "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "script-src 'unsafe-inline'\">",
           f"<title>chitieu: targets by province</title><style>{STYLE}</style></head><body>",
           "<h1>Targets by province</h1>",
           f"<p>{n_docs} documents, {len(provinces)} provinces, {len(commitments)} commitments, "
           f"{len(with_ind)} of them with an indicator ({len(by_ind)} indicators). Values are in each indicator's "
           "standard unit (see docs/codebook.md). Click a value to read its source sentence.</p>",
           "<div class='filters'><label>Sector <select id='sector'><option value=''>all</option>"]
    out += [f"<option value='{esc(s)}'>{esc(sectors.get(s, {}).get('vi', s))}</option>" for s in used_sectors]
    out.append("</select></label><label>Province <select id='province'><option value=''>all</option>")
    out += [f"<option>{esc(p)}</option>" for p in provinces]
    out.append("</select></label><label>Target year <select id='year'><option value=''>all</option>")
    out += [f"<option>{y}</option>" for y in years]
    out.append("</select></label><label>Search commitments <input id='search' type='search' size='30' "
               "placeholder='a word of the sentence, an indicator'></label></div>")
    if with_ind:
        out += _matrix(with_ind, labels, shown)
    for sector in sorted({labels[i].sector if i in labels else "" for i in by_ind}):
        s = sectors.get(sector, {})
        out.append(f"<section data-part='sector' data-sector='{esc(sector)}'><h2>{esc(s.get('vi', sector))} "
                   f"<small>({esc(s.get('en', ''))})</small></h2>")
        for ind_id in sorted(i for i in by_ind if (labels[i].sector if i in labels else "") == sector):
            ind = labels.get(ind_id)
            rows = sorted(by_ind[ind_id], key=lambda r: (r["province"], r["issued_date"] or "", r["doc_id"],
                                                         r["char_start"]))
            unit = shown[ind_id][0]
            out.append(f"<div class='indicator' id='{esc(ind_id)}'><h3>{esc(ind.vi if ind else ind_id)}"
                       f" <small>{esc(ind.en if ind else '')} · {esc(ind_id)} · in {esc(unit or 'count')}</small></h3>")
            out.append(_chart(ind_id, sector, rows, shown[ind_id]))
            out.append("<table><thead><tr><th>Province</th><th>Plan</th><th>Issued</th><th>Target</th>"
                       "<th>As printed</th><th>Year</th><th>Scope</th></tr></thead><tbody>")
            for r in rows:
                printed = target(dict(r, value_std=None, unit_std=""), year=False)
                out.append(
                    f"<tr data-cid-row {_attrs(r, sector)}><td>{esc(r['province'])}</td>"
                    f"<td>{esc(r.get('doc_number') or r['doc_id'])}</td><td>{esc(r.get('issued_date'))}</td>"
                    f"<td class='num'><a class='value' data-cid='{esc(r['commitment_id'])}'>"
                    f"{esc(target(r, shown[ind_id], year=False))}</a></td><td class='num'>{esc(printed)}</td>"
                    f"<td>{r['target_year'] or ''}</td><td>{esc(r.get('scope'))}</td></tr>")
            out.append("</tbody></table></div>")
        out.append("</section>")
    out += _all_commitments(commitments, labels)
    out += _documents(documents)
    out.append("<div id='source'><button type='button' style='float:right'>×</button>"
               "<div class='where'></div><blockquote class='sentence'></blockquote></div>")
    data = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    out.append(f"<script type='application/json' id='data'>{data}</script><script>{SCRIPT}</script></body></html>")
    return "\n".join(out)

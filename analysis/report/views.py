"""The visual views in the reports: per reported comparison the term map (static in the
PDF, interactive in the HTML page: an inline canvas and a small inline script, so the page
stays one self-contained file with nothing fetched from elsewhere) and the word shift of
the tone, then the sentence tone over time."""
from __future__ import annotations

import html
import json

import numpy as np

from analysis.charts import ChartInstance
from analysis.charts._common import colors_for, resolve_style
from analysis.charts.termmap import draw_term_map, term_map_of
from analysis.report.options import ReportOptions, report_comparisons

__all__ = ["view_instances", "view_raster_dpi", "views_pdf", "views_html", "HTML_TERM_LIMIT"]

#: Terms carried by the interactive HTML map (the most distinctive first): enough for
#: any reading, small enough (~1.5 MB) for a page that opens at once.
HTML_TERM_LIMIT = 20_000

_SIZE = (7.5, 5.6)


def view_instances(results, options: ReportOptions) -> list[ChartInstance]:
    """The term map and the word shift of each comparison the report covers (when the
    results hold them), then the sentence tone over time (when documents are dated)."""
    from analysis.charts.over_time import draw_over_time
    from analysis.charts.wordshift import draw_word_shift, word_shift_of

    if not options.includes("charts"):
        return []
    out = []
    for a, b in report_comparisons(results):
        if term_map_of(results, (a, b)) is not None:
            out.append(ChartInstance(f"termmap:{a}|{b}", "termmap", f"Term map: {a} vs {b}",
                                     draw_term_map, {"comparison": (a, b)}, _SIZE))
        if word_shift_of(results, (a, b)) is not None:
            out.append(ChartInstance(f"wordshift:{a}|{b}", "wordshift",
                                     f"Word shift of the tone: {a} vs {b}", draw_word_shift,
                                     {"comparison": (a, b), "top_n": 20}, (7.5, 5.2)))
    documents = (getattr(results, "tables", None) or {}).get("documents")
    if documents is not None and "date" in documents.columns and \
            documents["date"].astype(str).str.match(r"\d{4}-\d{2}").any():
        out.append(ChartInstance("over_time:sentiment", "over_time", "Sentence tone over time",
                                 draw_over_time, {"column": "sentiment.mean",
                                                  "label": "Sentence tone (VADER)"},
                                 (7.5, 3.4)))
    from analysis.report.split import split_instances

    return out + split_instances(results, options)


def view_raster_dpi(instance: ChartInstance) -> int | None:
    """The term map goes into the PDF as a picture at this dpi, the other views as vector
    paths (None). Not vector: the PDF writer's SVG support misplaces a rasterized scatter,
    and 50,000 vector points would make a slow, heavy page."""
    return 200 if instance.chart_id == "termmap" else None


def views_pdf(pdf, charts, instances: list[ChartInstance]) -> None:
    """Add the views' charts (``instances``, drawn by ``charts``, a
    :class:`analysis.report.chart_drawings.ChartDrawings`) to the PDF."""
    for inst in instances:
        pdf.need(inst.size[1] * pdf.epw / inst.size[0] + 14)
        pdf.heading(inst.title, 1)
        pdf.chart(inst, charts)


def _payload(results, comparison) -> dict:
    tm = term_map_of(results, comparison)
    keep = np.argsort(-np.abs(tm.z), kind="stable")[:HTML_TERM_LIMIT]
    colors = colors_for(getattr(results, "data", results), resolve_style(None))
    table = tm.table.iloc[keep]
    return {"a": comparison[0], "b": comparison[1], "floor": round(float(np.log10(tm.floor)), 4),
            "ca": colors.get(comparison[0], "#0072B2"), "cb": colors.get(comparison[1], "#D55E00"),
            "t": table["term"].astype(str).tolist(),
            "x": np.round(tm.x[keep], 4).tolist(), "y": np.round(tm.y[keep], 4).tolist(),
            "z": np.round(tm.z[keep], 3).tolist(),
            "na": table["count_a"].astype(int).tolist(), "nb": table["count_b"].astype(int).tolist(),
            "total": len(tm)}


def _json_for_script(value) -> str:
    # "<" escaped so no term can close the script element ("</script>" in an article).
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def views_html(doc, results, options: ReportOptions) -> None:
    """Add the views' charts to the HTML report (``doc`` is its section writer): the term
    maps interactive, the others as inline SVG."""
    from analysis.report.chart_export import render_chart
    from analysis.report.html import _inline_svg

    instances = view_instances(results, options)
    maps = 0
    for i, inst in enumerate(instances):
        if inst.chart_id != "termmap":
            rendered = render_chart(inst, results, ("svg",))
            doc.heading(inst.title, 1)
            doc.add(f'<figure role="img" aria-label="{html.escape(inst.title)}">'
                    f"{_inline_svg(rendered.images['svg'], f'view{i}')}<figcaption class=\"caption\">"
                    f"{html.escape(rendered.caption)}</figcaption></figure>")
            continue
        n, maps = maps, maps + 1
        data = _payload(results, inst.kwargs["comparison"])
        shown = (f"the {len(data['t']):,} most distinctive of {data['total']:,} terms"
                 if len(data["t"]) < data["total"] else f"all {data['total']:,} terms")
        doc.heading(inst.title, 1)
        doc.add(
            f'<div class="termmap" id="termmap{n}"><p><input type="search" '
            f'placeholder="Find a term…" aria-label="Find a term"> '
            f'<button type="button" data-act="reset">Whole map</button> '
            f'<span class="muted">Wheel: zoom; drag: move; click a point: its counts.</span>'
            f'</p><canvas width="900" height="620" style="width:100%;border:1px solid #ddd">'
            f'</canvas><p class="info muted"></p>'
            f'<script type="application/json">{_json_for_script(data)}</script></div>'
            f'<p class="caption">{html.escape(_caption(data))} Shown: {html.escape(shown)}.</p>')
    if maps:
        doc.add(f"<script>{_SCRIPT}</script>")


def _caption(data) -> str:
    return (f"Every term of {data['a']} (x) and {data['b']} (y) at its frequency per million "
            "words, log scales; colour: keyness z (log-odds ratio with an informative "
            "Dirichlet prior). Terms a group never uses sit on its lowest line.")


# A small self-contained viewer: log10 positions in, canvas out. Labels: the strongest
# terms in view that fit without overlapping (the same rule as the app and the PDF).
_SCRIPT = r"""
(function(){
function hex(c){return [1,3,5].map(function(i){return parseInt(c.substr(i,2),16);});}
function mix(p,q,f){return 'rgb('+p.map(function(v,i){return Math.round(v+(q[i]-v)*f);}).join(',')+')';}
function tick(v){var f=Math.pow(10,v);return f>=1?Math.round(f).toLocaleString('en'):f.toPrecision(2);}
document.querySelectorAll('.termmap').forEach(function(box){
  var d=JSON.parse(box.querySelector('script').textContent),cv=box.querySelector('canvas'),
      g=cv.getContext('2d'),info=box.querySelector('.info'),inp=box.querySelector('input'),
      A=hex(d.ca),B=hex(d.cb),G=[200,200,200],n=d.t.length,hl=-1,M=60,W=cv.width,H=cv.height;
  var zmax=3;d.z.forEach(function(z){zmax=Math.max(zmax,Math.abs(z));});zmax=Math.min(zmax,8);
  var lo=Math.min.apply(null,d.x.concat(d.y)),hi=Math.max.apply(null,d.x.concat(d.y)),
      pad=0.05*Math.max(hi-lo,1),v0=[lo-pad,hi+pad,lo-pad,hi+pad],v=v0.slice();
  function px(x){return M+(x-v[0])/(v[1]-v[0])*(W-M-10);}
  function py(y){return H-M+10-(y-v[2])/(v[3]-v[2])*(H-M);}
  function color(z){var f=Math.min(Math.abs(z)/zmax,1);return z>=0?mix(G,A,f):mix(G,B,f);}
  function draw(){
    g.clearRect(0,0,W,H);g.font='12px sans-serif';g.fillStyle='#222';
    g.strokeStyle='#999';g.setLineDash([4,4]);g.beginPath();g.moveTo(px(v[0]),py(v[0]));
    g.lineTo(px(v[1]),py(v[1]));g.stroke();g.setLineDash([]);
    g.fillText(d.a+' (per million words) \u2192',W/2-60,H-8);
    g.save();g.translate(14,H/2+60);g.rotate(-Math.PI/2);g.fillText(d.b+' (per million words) \u2192',0,0);g.restore();
    for(var k=Math.ceil(v[0]);k<=v[1];k++){g.fillText(tick(k),px(k)-8,H-M+26);}
    for(k=Math.ceil(v[2]);k<=v[3];k++){g.fillText(tick(k),18,py(k)+4);}
    var order=[];for(var i=n-1;i>=0;i--){order.push(i);}
    order.forEach(function(i){var X=px(d.x[i]),Y=py(d.y[i]);if(X<M||X>W||Y<0||Y>H-M+10)return;
      g.fillStyle=color(d.z[i]);g.fillRect(X-2,Y-2,4,4);});
    var boxes=[],shown=0,cand=hl>=0?[hl]:[];
    for(i=0;i<n&&cand.length<600;i++){if(i!==hl)cand.push(i);}
    g.fillStyle='#222';
    cand.forEach(function(i){if(shown>=36)return;var X=px(d.x[i]),Y=py(d.y[i]),w=g.measureText(d.t[i]).width;
      var b=[X+4,Y-7,X+4+w,Y+7];if(b[0]<M||b[2]>W||b[1]<0||b[3]>H-M+10)return;
      if(boxes.some(function(o){return b[0]<o[2]&&o[0]<b[2]&&b[1]<o[3]&&o[1]<b[3];}))return;
      boxes.push(b);shown++;if(i===hl){g.fillStyle='#fff3b0';g.fillRect(b[0],b[1],w,14);
      g.strokeStyle='#000';g.beginPath();g.arc(X,Y,7,0,7);g.stroke();g.fillStyle='#222';}
      g.lineWidth=3;g.strokeStyle='rgba(255,255,255,0.9)';g.strokeText(d.t[i],b[0],Y+4);
      g.lineWidth=1;g.fillText(d.t[i],b[0],Y+4);});
  }
  function describe(i){info.textContent='\u201c'+d.t[i]+'\u201d: '+d.na[i]+' in '+d.a+', '+d.nb[i]+' in '+d.b+'; keyness z '+d.z[i].toFixed(2);}
  function at(e){var r=cv.getBoundingClientRect();return [(e.clientX-r.left)*W/r.width,(e.clientY-r.top)*H/r.height];}
  cv.addEventListener('wheel',function(e){e.preventDefault();var p=at(e),f=e.deltaY<0?0.8:1.25,
    cx=v[0]+(p[0]-M)/(W-M-10)*(v[1]-v[0]),cy=v[2]+(H-M+10-p[1])/(H-M)*(v[3]-v[2]);
    v=[cx-(cx-v[0])*f,cx+(v[1]-cx)*f,cy-(cy-v[2])*f,cy+(v[3]-cy)*f];draw();});
  var drag=null;cv.addEventListener('mousedown',function(e){drag=at(e);});
  cv.addEventListener('mouseup',function(e){var p=at(e);if(drag&&Math.abs(p[0]-drag[0])+Math.abs(p[1]-drag[1])>4){
    var dx=(p[0]-drag[0])/(W-M-10)*(v[1]-v[0]),dy=(p[1]-drag[1])/(H-M)*(v[3]-v[2]);
    v=[v[0]-dx,v[1]-dx,v[2]+dy,v[3]+dy];draw();}else{var best=-1,bd=81;
    for(var i=0;i<n;i++){var q=(px(d.x[i])-p[0])*(px(d.x[i])-p[0])+(py(d.y[i])-p[1])*(py(d.y[i])-p[1]);if(q<bd){bd=q;best=i;}}
    if(best>=0){hl=best;describe(best);draw();}}drag=null;});
  inp.addEventListener('change',function(){var q=inp.value.trim().toLowerCase();hl=-1;
    for(var i=0;i<n&&q;i++){if(d.t[i].toLowerCase()===q){hl=i;break;}}
    for(i=0;i<n&&q&&hl<0;i++){if(d.t[i].toLowerCase().indexOf(q)>=0){hl=i;}}
    if(hl>=0){describe(hl);}else if(q){info.textContent='No term \u201c'+inp.value+'\u201d.';}draw();});
  box.querySelector('[data-act=reset]').addEventListener('click',function(){v=v0.slice();draw();});
  draw();
});
})();
"""

/* report_html.c: the HTML document around the report: head, style sheet (screen
 * and print), contents, and the small inline scripts (zoom and pan of network
 * pictures, sortable tables). Nothing is loaded from the network. */
#include "report_internal.h"

static const char html_head[] =
    "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";

/* Print: A4 with 15 mm margins leaves 180 mm; tables are laid out to the page
 * width (fixed layout, long words broken) and pictures scale to it, so nothing
 * is clipped at the right edge. */
static const char html_style[] =
    "<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1b1b1b;max-width:1000px;margin:0 auto;padding:1em 2em;line-height:1.45}\n"
    "h1{border-bottom:3px solid #264653;padding-bottom:.2em}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em;color:#264653}h3{color:#2a6f97}\n"
    "a.top{font-size:.55em;font-weight:normal;margin-left:.8em;color:#6c757d;text-decoration:none}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.88em;width:100%}"
    "th,td{border:1px solid #d0d0d0;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}"
    "th{background:#eef3f6}tbody tr:nth-child(even){background:#fafafa}tr:target{background:#fff3bf}\n"
    "table.sortable th{cursor:pointer}table.sortable th:hover{background:#dde8ee}"
    "th.asc::after{content:' \\25B2';font-size:.7em}th.desc::after{content:' \\25BC';font-size:.7em}\n"
    ".note{background:#fff4e5;border-left:4px solid #e76f51;padding:.5em .8em}\n"
    ".kpi{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}.kpi div{border:1px solid #d0d0d0;"
    "border-radius:4px;padding:.4em .8em;min-width:9em}.kpi b{display:block;font-size:1.3em;color:#264653}\n"
    "figure{margin:1em 0;border:1px solid #ddd;border-radius:4px;padding:.3em;max-width:100%;box-sizing:border-box}"
    "figcaption{font-size:.85em;color:#555;padding:.2em .4em}\n"
    "svg{width:100%;height:auto;display:block;max-width:100%}svg text{font-family:inherit}\n"
    "svg.zoom{cursor:grab;touch-action:none}\n"
    ".edges path{fill:none;stroke:#6c757d;stroke-opacity:.75}.edges path:hover{stroke:#d62828;stroke-opacity:1}\n"
    ".edges path.link{stroke:#7b2cbf;stroke-dasharray:5 4;stroke-opacity:.9}\n"
    ".nodes circle,.nodes rect,.nodes polygon{stroke:#333;stroke-width:1}"
    ".nodes .flag{stroke:#d62828;stroke-width:3}\n"
    ".nodes circle:hover,.nodes rect:hover,.nodes polygon:hover{stroke:#000;stroke-width:3}\n"
    ".nl{font-size:11px;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    ".nl .id{font-size:9px;fill:#555}\n"
    ".el{font-size:9px;text-anchor:middle;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    ".el.link{fill:#7b2cbf}\n"
    ".ct{font-size:14px;font-weight:bold}.ax{font-size:11px;fill:#333}.lg{font-size:11px}\n"
    ".grid{stroke:#e3e3e3}.axis{stroke:#333}.s1{fill:#8ab6d6}.s2{fill:#d62828}"
    ".sl{fill:none;stroke:#e9c46a;stroke-width:3}rect.sl{fill:#e9c46a;stroke:none}\n"
    ".ev{fill:#d62828;fill-opacity:.55;stroke:#7a0000}\n"
    ".reasons li{margin:.2em 0}.alert{border-top:2px solid #264653;margin-top:2em}\n"
    "nav ol{columns:2;font-size:.95em}.legend span{display:inline-block;width:.9em;height:.9em;"
    "border:1px solid #333;margin:0 .3em 0 .8em;vertical-align:middle}"
    ".legend span.dash{width:1.6em;height:0;border:0;border-top:2px dashed #7b2cbf}"
    ".legend span.sq{border-radius:0}.legend span.round{border-radius:50%}\n"
    ".hash{font-family:monospace;font-size:.85em;overflow-wrap:anywhere;word-break:break-all}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:9.5pt}nav,.noprint{display:none}"
    "h2{break-before:page}h2#summary,h2#subject{break-before:auto}.alert{break-before:page}"
    "h2,h3{break-after:avoid}figure,svg,tr{break-inside:avoid}a{color:inherit;text-decoration:none}"
    "table{width:100%;font-size:8pt}th,td{padding:2px 3px}"
    "figure{width:100%}svg{width:100%!important;height:auto!important}"
    "@page{size:A4;margin:15mm}}\n"
    "</style>\n";

/* Zoom (wheel) and pan (drag) on network pictures, double-click resets; a click
 * on a table header sorts the table by that column (numbers by value: amounts,
 * counts and percentages; anything else as text, which orders ISO dates). The
 * CDATA markers keep the document well-formed XML as well as HTML. */
static const char html_script[] =
    "<script>//<![CDATA[\n"
    "(function(){document.querySelectorAll('svg.zoom').forEach(function(s){\n"
    "var v0=s.getAttribute('viewBox'),d=null;function vb(){return s.getAttribute('viewBox').split(' ').map(Number);}\n"
    "s.addEventListener('wheel',function(e){e.preventDefault();var b=vb(),r=s.getBoundingClientRect(),"
    "k=e.deltaY<0?0.8:1.25,px=b[0]+b[2]*(e.clientX-r.left)/r.width,py=b[1]+b[3]*(e.clientY-r.top)/r.height;"
    "s.setAttribute('viewBox',[px-(px-b[0])*k,py-(py-b[1])*k,b[2]*k,b[3]*k].join(' '));},{passive:false});\n"
    "s.addEventListener('pointerdown',function(e){d=[e.clientX,e.clientY,vb()];s.setPointerCapture(e.pointerId);});\n"
    "s.addEventListener('pointermove',function(e){if(!d)return;var r=s.getBoundingClientRect(),b=d[2];"
    "s.setAttribute('viewBox',[b[0]-(e.clientX-d[0])*b[2]/r.width,b[1]-(e.clientY-d[1])*b[3]/r.height,b[2],b[3]].join(' '));});\n"
    "s.addEventListener('pointerup',function(){d=null;});\n"
    "s.addEventListener('dblclick',function(){s.setAttribute('viewBox',v0);});});\n"
    "var num=/^-?[0-9][0-9,]*(\\.[0-9]+)?( ?%| [A-Z]{3})?$/;\n"
    "function val(td){return td?td.textContent.trim():'';}\n"
    "document.querySelectorAll('table.sortable').forEach(function(t){var hs=t.tHead?t.tHead.rows[0].cells:[];\n"
    "Array.prototype.forEach.call(hs,function(h,i){h.addEventListener('click',function(){\n"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=!h.classList.contains('asc');\n"
    "var isnum=rows.every(function(r){var v=val(r.cells[i]);return v===''||v==='-'||num.test(v);});\n"
    "rows.sort(function(x,y){var a=val(x.cells[i]),c=val(y.cells[i]),o;\n"
    "if(isnum){a=parseFloat(a.replace(/,/g,''))||0;c=parseFloat(c.replace(/,/g,''))||0;o=a-c;}else o=a.localeCompare(c);\n"
    "return asc?o:-o;});rows.forEach(function(r){b.appendChild(r);});\n"
    "Array.prototype.forEach.call(hs,function(x){x.classList.remove('asc','desc');});h.classList.add(asc?'asc':'desc');});});});\n"
    "})();\n"
    "//]]></script>\n";

void iffnet_i_rep_begin(iffnet_i_rep_t *r, const char *title, const char *const *nav, int64_t n_nav)
{
    if (r->md) {
        fprintf(r->fp, "# ");
        iffnet_i_rep_esc(r, title);
        fputs("\n\n", r->fp);
        return;
    }
    fputs(html_head, r->fp);
    fputs("<title>", r->fp);
    iffnet_i_xml_text(r->fp, title, -1);
    fputs("</title>\n", r->fp);
    fputs(html_style, r->fp);
    fputs("</head>\n<body>\n<h1 id=\"top\">", r->fp);
    iffnet_i_xml_text(r->fp, title, -1);
    fputs("</h1>\n<nav class=\"noprint\"><ol>", r->fp);
    /* nav: pairs of anchor and title */
    for (int64_t i = 0; i + 1 < 2 * n_nav; i += 2) {
        fputs("<li><a href=\"#", r->fp);
        iffnet_i_xml_text(r->fp, nav[i], -1);
        fputs("\">", r->fp);
        iffnet_i_xml_text(r->fp, nav[i + 1], -1);
        fputs("</a></li>", r->fp);
    }
    fputs("</ol></nav>\n", r->fp);
}

void iffnet_i_rep_end(iffnet_i_rep_t *r)
{
    if (r->md) return;
    fputs(html_script, r->fp);
    fputs("</body>\n</html>\n", r->fp);
}

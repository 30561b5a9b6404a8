"""Reads a .docx with python-docx and prints what the tests check, as JSON.

Usage: python3 docx_read.py FILE.docx
"""
import json
import sys

import docx
from docx.oxml.ns import qn


def cell_info(tc):
    pr = tc.tcPr
    span = 1
    vmerge = None
    if pr is not None:
        gs = pr.find(qn("w:gridSpan"))
        if gs is not None:
            span = int(gs.get(qn("w:val")))
        vm = pr.find(qn("w:vMerge"))
        if vm is not None:
            vmerge = vm.get(qn("w:val")) or "continue"
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
    return {"text": text, "gridSpan": span, "vMerge": vmerge}


def main(path):
    d = docx.Document(path)
    out = {"paragraphs": [p.text for p in d.paragraphs], "tables": [],
           "headings": [[p.style.name, p.text] for p in d.paragraphs if p.style is not None and p.style.name.startswith("Heading")]}
    for t in d.tables:
        rows = []
        header_rows = []
        for i, tr in enumerate(t._tbl.tr_lst):
            rows.append([cell_info(tc) for tc in tr.tc_lst])
            trpr = tr.trPr
            if trpr is not None and trpr.find(qn("w:tblHeader")) is not None:
                header_rows.append(i)
        # python-docx's own grid view: merged cells are the same object.
        grid = [[c.text for c in row.cells] for row in t.rows]
        same = []
        for (r1, c1, r2, c2) in [(0, 0, 1, 0), (0, 2, 0, 3), (0, 4, 0, 5), (0, 1, 1, 1)]:
            try:
                same.append(t.cell(r1, c1)._tc is t.cell(r2, c2)._tc)
            except Exception:
                same.append(None)
        out["tables"].append({"rows": rows, "grid": grid, "headerRows": header_rows, "sameCell": same})
    sect = d.sections[0]
    sp = sect._sectPr
    out["section"] = {
        "titlePg": sp.find(qn("w:titlePg")) is not None,
        "orientation": str(sect.orientation),
        "pageWidthMM": round(sect.page_width.mm),
        "pageHeightMM": round(sect.page_height.mm),
        "marginsMM": [round(sect.top_margin.mm), round(sect.bottom_margin.mm),
                      round(sect.left_margin.mm), round(sect.right_margin.mm)],
        "headerXML": sect.header._element.xml if not sect.header.is_linked_to_previous else "",
        "firstPageHeaderText": sect.first_page_header.paragraphs[0].text if sect.first_page_header.paragraphs else "",
    }
    fonts = set()
    for rf in d.element.iter(qn("w:rFonts")):
        fonts.add(rf.get(qn("w:ascii")))
    out["fonts"] = sorted(f for f in fonts if f)
    sizes = {}
    for r in d.element.iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        rpr = r.find(qn("w:rPr"))
        if text and rpr is not None:
            sz = rpr.find(qn("w:sz"))
            sizes[text] = {"halfPoints": int(sz.get(qn("w:val"))) if sz is not None else None,
                           "bold": rpr.find(qn("w:b")) is not None,
                           "italic": rpr.find(qn("w:i")) is not None}
    out["runs"] = sizes
    out["title"] = d.core_properties.title
    out["created"] = d.core_properties.created.isoformat() if d.core_properties.created else None
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])

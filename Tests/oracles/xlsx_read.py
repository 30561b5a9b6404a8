"""Reads a .xlsx with openpyxl (twice: formulas, then cached values) and prints JSON.

Usage: python3 xlsx_read.py FILE.xlsx
"""
import json
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cached = openpyxl.load_workbook(path, data_only=True).active
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            cells[c.coordinate] = {
                "value": c.value,
                "type": type(c.value).__name__,
                "cached": cached[c.coordinate].value,
                "bold": bool(c.font.b),
                "font": c.font.name,
                "size": c.font.sz,
            }
    merged = [str(r) for r in ws.merged_cells.ranges]
    # Every position of every merged range of a bordered table must be written in the
    # file as a cell with a bordered style, or Excel draws the range without its borders
    # (openpyxl re-derives merged borders on load, so read the XML itself).
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = z.read("xl/styles.xml").decode()
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles_xml, re.S).group(1)
    border_of_style = [int(m) for m in re.findall(r'<xf [^>]*borderId="(\d+)"', xfs)]
    style_of = {m.group(1): int(m.group(2)) for m in re.finditer(r'<c r="([A-Z]+\d+)" s="(\d+)"', sheet_xml)}
    unbordered = []
    for r in ws.merged_cells.ranges:
        anchor = ws.cell(r.min_row, r.min_col).coordinate
        if border_of_style[style_of.get(anchor, 0)] == 0:
            continue  # a borderless layout range (title, header bands)
        for row in range(r.min_row, r.max_row + 1):
            for col in range(r.min_col, r.max_col + 1):
                coord = ws.cell(row, col).coordinate
                if coord not in style_of or border_of_style[style_of[coord]] == 0:
                    unbordered.append(coord)
    heights = {str(k): v.height for k, v in ws.row_dimensions.items() if v.height is not None}
    out = {
        "sheet": ws.title,
        "cells": cells,
        "merged": merged,
        "unbordered": unbordered,
        "printTitleRows": ws.print_title_rows,
        "paperSize": ws.page_setup.paperSize,
        "orientation": ws.page_setup.orientation,
        "fitToWidth": ws.page_setup.fitToWidth,
        "fitToPage": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "rowHeights": heights,
        "maxRow": ws.max_row,
        "columnWidths": {k: v.width for k, v in ws.column_dimensions.items()},
    }
    print(json.dumps(out, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1])

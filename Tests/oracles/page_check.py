"""Converts .docx files to PDF with LibreOffice, as a clerk opening them in Word or Writer
would see them paginated, and names every page that breaks a typist's rule:

- a page that ends on a heading (its text goes on over the page);
- a signature page holding nothing but the signature block and Nơi nhận.

Usage: python3 page_check.py OUTDIR FILE.docx...   Prints JSON {file: [problems]}.
"""
import json
import os
import re
import subprocess
import sys

HEADING = re.compile(r"^((\d+|[IVX]+)\.\s+\S.{0,60}|.{1,40}:)$")
SIGNATURE_LINE = re.compile(r"^(TM\. .*|CHỦ TỊCH|PHÓ CHỦ TỊCH|Nơi nhận:|- .*|\d+)$")


def pages(pdf):
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True, text=True).stdout
    out = []
    for page in text.split("\f"):
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        if lines:
            out.append(lines)
    return out


def split_columns(line):
    # Layout mode puts the two signature columns on one line; look at each part.
    return [part.strip() for part in re.split(r"\s{3,}", line) if part.strip()]


def problems(pdf, signer_name):
    found = []
    all_pages = pages(pdf)
    for number, lines in enumerate(all_pages, start=1):
        parts = [part for line in lines for part in split_columns(line)]
        if number < len(all_pages) and parts and HEADING.match(parts[-1]) and parts[-1] != "Nơi nhận:":
            found.append(f"page {number} ends on the heading “{parts[-1]}”")
        if any(p.startswith("TM. ") for p in parts):
            rest = [p for p in parts if not SIGNATURE_LINE.match(p) and p != signer_name]
            if not rest:
                found.append(f"page {number} holds only the signature")
    return found


def main(outdir, files, signer_name):
    profile = "file://" + os.path.join(outdir, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", outdir] + files,
                   check=True, capture_output=True)
    report = {}
    for f in files:
        pdf = os.path.join(outdir, os.path.splitext(os.path.basename(f))[0] + ".pdf")
        report[os.path.basename(f)] = problems(pdf, signer_name) if os.path.exists(pdf) else ["LibreOffice made no PDF"]
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[3:], sys.argv[2])

"""axe-core (WCAG 2.0/2.1, levels A and AA) in real Chromium on the main pages of every role,
the year's pages and the public library: no violation, so that what is accessible today
stays so. axe.min.js comes from the axe-core-python package (scripts/test installs it)."""
import json
import os
import urllib.request

import axe_core_python
from selenium.webdriver.common.by import By

from conftest import login

AXE = open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"), encoding="utf-8").read()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(d, url):
    d.get(url)
    return axe_here(d)


def axe_here(d):
    """axe on the page as it stands (after what a test did on it)."""
    d.execute_script(AXE)
    return d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; })); })"
        ".catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });", TAGS)


def test_no_wcag_violation_on_the_main_pages(server, browser):
    d = browser
    found = {}

    def check(path):
        result = violations(d, server + path)
        if result:
            found[path] = result

    library = json.load(urllib.request.urlopen(server + "/api/v1/library"))
    for path in ["/login", "/library", "/library?q=hoa", f"/library/{library['items'][0]['id']}"]:
        check(path)
    login(d, server, "longbien")
    for path in ["/", "/campaigns", "/campaigns/DVK-2024", "/campaigns/DVK-2024/queue", "/campaigns/DVK-2024/reminders",
                 "/campaigns/DVK-2024/edit", "/campaigns/DVK-2024/units/LB-DN-MDG", "/campaigns/DVK-2024/mail", "/units", "/account",
                 "/campaigns/DVK-2024/units/LB-DN-MDG/import", "/campaigns/DVK-2024/year"]:
        check(path)
    # The campaign form with its chooser of units shown and a sector row added.
    d.get(server + "/campaigns/new")
    d.find_element(By.CSS_SELECTOR, "input[name=targets_mode][value=chosen]").click()
    d.find_element(By.CSS_SELECTOR, "[data-sector-add]").click()
    result = axe_here(d)
    if result:
        found["/campaigns/new (chooser shown)"] = result
    d.get(server + "/campaigns/DVK-2024/year")
    check(d.find_element(By.CSS_SELECTOR, "table.list tbody a").get_attribute("href").replace(server, ""))
    login(d, server, "ngoclam")
    for path in ["/campaigns/DVK-2024/units/LB-GD-THNL", "/campaigns/DVK-2024/units/LB-GD-THNL/initiatives/new"]:
        check(path)
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)

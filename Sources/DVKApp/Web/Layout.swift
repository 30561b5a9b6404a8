import DVKCore
import Fluent
import Vapor

/// The page shell every view renders into: header with the user's place, navigation,
/// a flash message, the content. Mobile-first; no JavaScript needed.
enum Layout {
    /// The main links and who is signed in, with the way out.
    static func menu(_ user: CurrentUser) -> Node {
        .group(
            .nav(.ariaLabel("Trang chính"),
                .a(.href(.campaigns), "Đợt thi đua"),
                .if(user.role != .officer, .a(.href(.units), "Đơn vị")),
                .if(AccountRules.managesAccounts(user.role), .a(.href(.people), "Người dùng")),
                .if(user.role.manages, .a(.href(.audit), "Nhật ký")),
                .a(.href(.library), "Thư viện mô hình")
            ),
            .div(.class("who"),
                .a(.class("name"), .href(.account), .text(user.displayName)),
                .span(.class("muted"), .text(" · \(user.role.label) · \(user.unitName)")),
                .form(.class("inline"), .method(.post), .action(.logout),
                      csrfField(user.csrf),
                      .button(.type(.submit), .class("link"), "Đăng xuất"))
            )
        )
    }

    static func page(title: String, user: CurrentUser?, flash: String? = Flash.current, body: [Node]) -> HTMLPage {
        Node.html(
            .attribute("lang", "vi"),
            .head(
                .meta(.attribute("charset", "utf-8")),
                .meta(.name("viewport"), .attribute("content", "width=device-width, initial-scale=1")),
                .title("\(title) — DVK"),
                .stylesheet(.styles),
                .script(.script)
            ),
            .body(
                .a(.class("skip"), .href(.fragment("main-content")), "Bỏ qua, đến nội dung chính"),
                .header(.class("top"),
                    .a(.class("brand"), .href(.home), "DVK", .span(" · Dân vận khéo")),
                    .unwrap(user) { user in
                        // The links and the person in the bar on a wide screen; on a phone the
                        // same under "Menu" (CSS shows one or the other), so the bar is one line.
                        .group(menu(user), .element("details", [.class("phone-menu"), .summary("Menu"), menu(user)]))
                    },
                    .if(user == nil, .nav(.class("public"), .a(.href(.library), "Thư viện mô hình"), .a(.href(.login), "Đăng nhập")))
                ),
                .main(.id("main-content"), .attribute("tabindex", "-1"),
                    // A step's result, in view and focused (`data-focus`) when the page opens.
                    .unwrap(flash) { .div(.class("alert ok"), .role("status"), .id("flash"), .attribute("tabindex", "-1"),
                                          .attribute("data-focus", present: true), .text($0)) },
                    .group(body)
                )
            )
        ).page()
    }

    static func response(_ page: HTMLPage, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: page.body)
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func csrfField(_ token: String?) -> Node {
        .hidden("_csrf", token ?? "")
    }

    /// A form that posts with the CSRF token; `confirm` asks the browser to confirm first.
    /// What those who run a campaign should check (`CampaignInfo.warnings`), with a link to
    /// the form where it is fixed; nothing when all is consistent.
    static func campaignWarnings(_ c: CampaignInfo, now: Date, edit: Bool = true) -> Node {
        let warnings = c.warnings(at: now)
        guard !warnings.isEmpty else { return .empty }
        return .div(.class("alert warn"), .role("status"),
            .strong("Cần kiểm tra lại đợt thi đua"),
            .ul(.forEach(warnings) { .li(.text($0.message)) }),
            .if(edit, .p(.a(.href(.campaignEdit(c.code)), "Sửa đợt thi đua"))))
    }

    static func postButton(_ label: String, to url: SiteURL, csrf: String?, style: String = "", confirm: String? = nil,
                           fields: [(String, String)] = []) -> Node {
        .form(.class("inline"), .method(.post), .action(url),
              .unwrap(confirm) { .confirm($0) },
              csrfField(csrf),
              .forEach(fields) { .hidden($0.0, $0.1) },
              .button(.type(.submit), .class("button \(style)"), .text(label)))
    }

    /// The Biểu tổng hợp as on the paper form.
    static func summaryTable(_ summary: Summary) -> Node {
        // On a phone the column headings shorten (the group heading says whose) and a
        // legend under the table spells them out.
        func heading(_ long: String, _ short: String) -> Node {
            .th(.span(.class("long"), .text(long)), .span(.class("short"), .text(short)))
        }
        return .div(.class("scroll"),
            .table(.class("summary"),
                .thead(
                    .tr(.th(.attribute("rowspan", "2"), "TT"),
                        .th(.attribute("rowspan", "2"), .span(.class("long"), "Cấp đăng ký thực hiện"), .span(.class("short"), "Lĩnh vực")),
                        .th(.attribute("colspan", "2"), "Tập thể"),
                        .th(.attribute("colspan", "2"), "Cá nhân")),
                    .tr(heading("Số lượng tập thể đăng ký thực hiện", "Số lượng"), heading("Số lượng mô hình được đăng ký thực hiện", "Mô hình"),
                        heading("Số lượng cá nhân đăng ký thực hiện", "Số lượng"), heading("Số lượng mô hình được đăng ký thực hiện", "Mô hình"))
                ),
                .tbody(
                    .forEach(Array(summary.rows.enumerated())) { i, row in
                        .tr(.td(.class("num"), .text("\(i + 1)")), .td(.text(row.sector.name)),
                            .forEach(row.tally.columns) { .td(.class("num"), .text(Format.number($0))) })
                    },
                    .tr(.class("total"), .td(), .td("Tổng:"), .forEach(summary.total.columns) { .td(.class("num"), .text(Format.number($0))) })
                )
            ),
            .p(.class("legend muted small"), "Số lượng: số tập thể (cá nhân) đăng ký thực hiện; Mô hình: số mô hình được đăng ký thực hiện."),
            .unwrap(summary.note) { .p(.class("note"), .text($0)) }
        )
    }

    /// Where a unit stands, as a badge: its phase, and "nộp muộn" / "nộp lại muộn" when so
    /// (the same answers as the API's `late` and `resubmittedLate`).
    static func standingBadge(_ s: Standing) -> Node {
        .span(.class("badge \(s.phase.rawValue)"), .text(s.phase.label),
              .if(s.isLate, .span(.class("late"), " · nộp muộn")),
              .if(s.isResubmittedLate, .span(.class("late"), " · nộp lại muộn")))
    }
}

/// The stylesheet and the one script, served from memory with a day's caching.
func routeAssets(_ app: Application) {
    func asset(_ body: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
    app.get("styles.css") { _ in asset(Styles.css, type: .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])) }
    app.get("app.js") { _ in asset(Script.js, type: .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])) }
}

/// The pages' only script. Pages work without it; the content policy allows no inline
/// script. It
/// - asks before a form (or the button pressed) marked `data-confirm` is sent;
/// - moves the focus to a refused form's error summary or a step's result (`data-focus`),
///   scrolled into view, so a screen reader reads it and the keyboard starts there;
/// - on the campaign form, lets the year drive the title and subject until they are edited,
///   lets the sectors' rows be added, moved and removed, and shows the
///   participants' chooser: a tree of check boxes kept in step with the codes' box, where a
///   federation's box takes its subtree, the search ignores diacritics and a count says how
///   many grassroots unions are chosen.
enum Script {
    static let js = #"""
    document.documentElement.classList.add("js");
    document.addEventListener("submit", function (event) {
      // The button pressed asks first when it carries the question, else its form.
      var asker = (event.submitter && event.submitter.closest("[data-confirm]")) || event.target.closest("form[data-confirm]");
      if (asker && !window.confirm(asker.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
    document.addEventListener("DOMContentLoaded", function () {
      var summary = document.querySelector("[data-focus]");
      if (summary) {
        // The message wins over a section named in the address: Chromium's scroll to that
        // fragment at load would take the focus back to the page.
        if (location.hash) { history.replaceState(null, "", location.pathname + location.search); }
        summary.focus(); summary.scrollIntoView({block: "center"});
        window.addEventListener("load", function () {
          if (document.activeElement === document.body) { summary.focus(); summary.scrollIntoView({block: "center"}); }
        });
      }
      sectorRows();
      unitPicker();
      campaignYear();
      criteriaExceptions();
    });

    // Verification: the "chưa đạt" boxes show only when "Có tiêu chí chưa đạt" is chosen.
    function criteriaExceptions() {
      var box = document.querySelector("[data-criteria-exceptions]");
      if (!box) { return; }
      var radios = document.querySelectorAll("[data-criteria-all]");
      function sync() {
        var none = document.querySelector("[data-criteria-all='1']:checked");
        box.hidden = !!none;
      }
      radios.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    }

    // On the campaign form the year drives the title and the subject ("… năm 2025") until
    // either is edited by hand.
    function campaignYear() {
      var year = document.getElementById("year");
      if (!year) { return; }
      var fields = ["title", "subject"].map(function (id) { return document.getElementById(id); }).filter(Boolean);
      fields.forEach(function (f) { f.dataset.auto = f.value; });
      var last = year.value;
      year.addEventListener("input", function () {
        var now = year.value;
        // Only a whole year counts: typing "2","20",… leaves the last whole one in place.
        if (!/^[0-9]{4}$/.test(now) || !/^[0-9]{4}$/.test(last)) { return; }
        fields.forEach(function (f) {
          if (f.value === f.dataset.auto) { f.value = f.value.split("năm " + last).join("năm " + now); f.dataset.auto = f.value; }
        });
        last = now;
      });
    }

    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();
    }
    function groupDigits(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

    function sectorRows() {
      var body = document.querySelector("[data-sector-rows]");
      if (!body) { return; }
      // A blank row: a new sector, its code made from its name when saved.
      function clearRow(row) {
        row.querySelector("[data-field=name]").value = "";
        row.querySelector("[data-field=code]").value = "";
        var code = row.querySelector("[data-code-cell]");  // shown to administrators only
        if (code) { code.textContent = "tự tạo khi lưu"; }
      }
      function renumber() {
        Array.prototype.forEach.call(body.rows, function (row, i) {
          row.querySelectorAll("[data-field]").forEach(function (input) {
            input.name = "sector_" + input.getAttribute("data-field") + "_" + i;
          });
          var order = row.querySelector("[data-field=order]");
          order.value = i + 1;
          order.setAttribute("aria-label", "Thứ tự dòng " + (i + 1));
          row.querySelector("[data-field=name]").setAttribute("aria-label", "Tên lĩnh vực dòng " + (i + 1));
          row.querySelector("[data-act=up]").setAttribute("aria-label", "Chuyển dòng " + (i + 1) + " lên");
          row.querySelector("[data-act=down]").setAttribute("aria-label", "Chuyển dòng " + (i + 1) + " xuống");
          row.querySelector("[data-act=remove]").setAttribute("aria-label", "Bỏ dòng " + (i + 1));
        });
      }
      body.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-act]");
        if (!button) { return; }
        var row = button.closest("tr"), act = button.getAttribute("data-act");
        if (act === "up" && row.previousElementSibling) { body.insertBefore(row, row.previousElementSibling); }
        if (act === "down" && row.nextElementSibling) { body.insertBefore(row.nextElementSibling, row); }
        if (act === "remove") {
          var next = row.nextElementSibling || row.previousElementSibling;
          if (next) { row.remove(); next.querySelector("[data-field=name]").focus(); }
          else { clearRow(row); }
        } else {
          button.focus();
        }
        renumber();
      });
      body.addEventListener("change", function (event) {
        if (event.target.getAttribute("data-field") !== "order") { return; }
        var rows = Array.prototype.slice.call(body.rows);
        var moved = event.target.closest("tr");
        var wanted = Math.max(1, Math.min(rows.length, parseInt(event.target.value, 10) || 1));
        rows.splice(rows.indexOf(moved), 1);
        rows.splice(wanted - 1, 0, moved);
        rows.forEach(function (row) { body.appendChild(row); });
        renumber();
        event.target.focus();
      });
      var add = document.querySelector("[data-sector-add]");
      if (add) {
        add.addEventListener("click", function () {
          var row = body.rows[body.rows.length - 1].cloneNode(true);
          clearRow(row);
          body.appendChild(row);
          renumber();
          row.querySelector("[data-field=name]").focus();
        });
      }
    }

    function unitPicker() {
      var picker = document.querySelector("[data-tree-picker]");
      var codes = document.getElementById("target_codes");
      if (!picker || !codes) { return; }
      picker.hidden = false;
      // The page sends each unit once, as little as it can: its code on the item, "fed" on a
      // federation's. The boxes, kinds and search keys are filled in here (one fold for the
      // names and the query).
      picker.querySelectorAll("li[data-code]").forEach(function (li) {
        var label = li.querySelector(":scope > label"), box = label.querySelector("input");
        box.value = li.getAttribute("data-code");
        box.setAttribute("data-kind", li.classList.contains("fed") ? "federation" : "grassroots");
        li.setAttribute("data-key", fold(label.textContent));
      });
      var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox]"));
      var leaves = boxes.filter(function (b) { return b.getAttribute("data-kind") === "grassroots"; });
      var federations = boxes.filter(function (b) { return b.getAttribute("data-kind") !== "grassroots"; }).reverse();
      var count = picker.querySelector("[data-tree-count]");
      var search = picker.querySelector("[data-tree-search]");
      var chosen = document.querySelector("[data-targets-chosen]");
      function inScope(box) { return !box.closest("li.out-of-scope"); }
      function refresh() {
        federations.forEach(function (box) {
          var under = box.closest("li").querySelectorAll("li input[data-kind=grassroots]");
          var on = 0, all = 0;
          under.forEach(function (leaf) { if (inScope(leaf)) { all += 1; if (leaf.checked) { on += 1; } } });
          box.checked = all > 0 && on === all;
          box.indeterminate = on > 0 && on < all;
        });
        var n = leaves.filter(function (b) { return b.checked && inScope(b); }).length;
        count.textContent = "Đã chọn " + groupDigits(n) + " công đoàn cơ sở";
      }
      function fromCodes() {
        var wanted = {};
        codes.value.split(/[\s,;]+/).forEach(function (code) { if (code) { wanted[code] = true; } });
        leaves.forEach(function (b) { b.checked = !!wanted[b.value]; });
        refresh();
      }
      var inTree = {};
      leaves.forEach(function (b) { inTree[b.value] = true; });
      // The ticked units, then whatever was typed that names no unit of the tree (a typo,
      // a unit elsewhere): kept, so the server can say what is wrong with it.
      function writeCodes() {
        var typed = codes.value.split(/[\s,;]+/).filter(function (code) { return code && !inTree[code]; });
        codes.value = leaves.filter(function (b) { return b.checked && inScope(b); }).map(function (b) { return b.value; })
          .concat(typed).join("\n");
      }
      function toCodes() {
        writeCodes();
        var radio = document.querySelector("input[name=targets_mode][value=chosen]");
        if (radio) { radio.checked = true; }
      }
      picker.addEventListener("change", function (event) {
        var box = event.target;
        if (box.type !== "checkbox") { return; }
        if (box.getAttribute("data-kind") !== "grassroots") {
          // With a search, only the units it shows; without one, the whole subtree.
          box.closest("li").querySelectorAll("li input[type=checkbox]").forEach(function (b) {
            if (!b.closest("li.filtered-out")) { b.checked = box.checked; }
          });
        }
        refresh();
        toCodes();
      });
      codes.addEventListener("input", fromCodes);
      search.addEventListener("input", function () {
        var query = fold(search.value);
        var items = picker.querySelectorAll("li[data-key]");
        items.forEach(function (li) { li.classList.toggle("filtered-out", query !== ""); });
        if (query === "") { return; }
        items.forEach(function (li) {
          if (li.getAttribute("data-key").indexOf(query) < 0) { return; }
          li.classList.remove("filtered-out");
          li.querySelectorAll("li").forEach(function (inner) { inner.classList.remove("filtered-out"); });
          for (var up = li.parentElement.closest("li"); up; up = up.parentElement.closest("li")) { up.classList.remove("filtered-out"); }
        });
      });
      // A new campaign: only the chosen issuer's subtree can take part.
      var issuer = document.querySelector("select#issuer");
      function scope() {
        if (!issuer) { return; }
        var root = picker.querySelector('li[data-code="' + CSS.escape(issuer.value) + '"]');
        picker.querySelectorAll("li[data-code]").forEach(function (li) {
          var inside = !root || root.contains(li);
          li.classList.toggle("out-of-scope", !inside && !li.contains(root));
          li.classList.toggle("scope-path", !inside && li.contains(root));
        });
        leaves.forEach(function (b) { if (!inScope(b)) { b.checked = false; } });
        refresh();
      }
      if (issuer) { issuer.addEventListener("change", function () { scope(); writeCodes(); }); }
      // "Mọi công đoàn cơ sở": the chooser steps aside.
      // On load, a refused list of codes stays in view whatever the choice.
      function showChooser(keepErrors) {
        chosen.hidden = document.querySelector("input[name=targets_mode]:checked").value !== "chosen"
          && !(keepErrors && chosen.querySelector(".invalid"));
      }
      document.querySelectorAll("input[name=targets_mode]").forEach(function (radio) {
        radio.addEventListener("change", function () { showChooser(false); });
      });
      showChooser(true);
      fromCodes();
      if (issuer) { scope(); }
    }
    """#
}

extension HTMLPage {
    /// The response body: the page's own buffer.
    var body: Response.Body { .init(buffer: buffer) }
}

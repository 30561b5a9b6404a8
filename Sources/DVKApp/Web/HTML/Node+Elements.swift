// The elements and attributes the pages use. Each is a thin name over `Node.element` or
// `Node.attribute`; values are escaped when the page renders (see `Node`).

extension Node {
    // MARK: Document

    static func html(_ c: Node...) -> Node { .element("html", c) }
    static func head(_ c: Node...) -> Node { .element("head", c) }
    static func body(_ c: Node...) -> Node { .element("body", c) }
    static func meta(_ a: Node...) -> Node { .voidElement("meta", a) }
    static func title(_ text: String) -> Node { .element("title", [.text(text)]) }
    static func stylesheet(_ url: SiteURL) -> Node { .voidElement("link", [.attribute("rel", "stylesheet"), .href(url)]) }
    /// A script of this site (the content policy allows no other, and no inline script).
    static func script(_ url: SiteURL) -> Node { .element("script", [.attribute("src", url.path), .attribute("defer", present: true)]) }

    // MARK: Sections and text

    static func header(_ c: Node...) -> Node { .element("header", c) }
    static func nav(_ c: Node...) -> Node { .element("nav", c) }
    static func main(_ c: Node...) -> Node { .element("main", c) }
    static func section(_ c: Node...) -> Node { .element("section", c) }
    static func div(_ c: Node...) -> Node { .element("div", c) }
    static func div(_ c: [Node]) -> Node { .element("div", c) }
    static func span(_ c: Node...) -> Node { .element("span", c) }
    static func p(_ c: Node...) -> Node { .element("p", c) }
    static func a(_ c: Node...) -> Node { .element("a", c) }
    static func b(_ c: Node...) -> Node { .element("b", c) }
    static func strong(_ c: Node...) -> Node { .element("strong", c) }
    static func em(_ c: Node...) -> Node { .element("em", c) }
    static func small(_ c: Node...) -> Node { .element("small", c) }
    static func code(_ c: Node...) -> Node { .element("code", c) }
    static func pre(_ c: Node...) -> Node { .element("pre", c) }
    static func h1(_ c: Node...) -> Node { .element("h1", c) }
    static func h2(_ c: Node...) -> Node { .element("h2", c) }
    static func h3(_ c: Node...) -> Node { .element("h3", c) }
    static func ul(_ c: Node...) -> Node { .element("ul", c) }
    static func ol(_ c: Node...) -> Node { .element("ol", c) }
    static func li(_ c: Node...) -> Node { .element("li", c) }
    static func dl(_ c: Node...) -> Node { .element("dl", c) }
    static func dt(_ c: Node...) -> Node { .element("dt", c) }
    static func dd(_ c: Node...) -> Node { .element("dd", c) }
    static func details(_ c: Node...) -> Node { .element("details", c) }
    static func summary(_ c: Node...) -> Node { .element("summary", c) }
    static func br() -> Node { .voidElement("br", []) }

    // MARK: Tables

    static func table(_ c: Node...) -> Node { .element("table", c) }
    static func caption(_ c: Node...) -> Node { .element("caption", c) }
    static func thead(_ c: Node...) -> Node { .element("thead", c) }
    static func tbody(_ c: Node...) -> Node { .element("tbody", c) }
    static func tr(_ c: Node...) -> Node { .element("tr", c) }
    static func th(_ c: Node...) -> Node { .element("th", c) }
    static func td(_ c: Node...) -> Node { .element("td", c) }

    // MARK: Forms

    /// A form the browser does not check itself (`novalidate`): its English messages never
    /// show; the server checks every field and answers in Vietnamese under each.
    static func form(_ c: Node...) -> Node { .element("form", [.attribute("novalidate", present: true)] + c) }
    static func form(_ c: [Node]) -> Node { .element("form", [.attribute("novalidate", present: true)] + c) }
    static func input(_ a: Node...) -> Node { .voidElement("input", a) }
    static func textarea(_ c: Node...) -> Node { .element("textarea", c) }
    static func select(_ c: Node...) -> Node { .element("select", c) }
    static func button(_ c: Node...) -> Node { .element("button", c) }
    static func label(_ c: Node...) -> Node { .element("label", c) }
    static func fieldset(_ c: Node...) -> Node { .element("fieldset", c) }
    static func legend(_ c: Node...) -> Node { .element("legend", c) }
    static func datalist(_ c: Node...) -> Node { .element("datalist", c) }

    static func option(value: String, label: String, selected: Bool = false) -> Node {
        .element("option", [.attribute("value", value), .attribute("selected", present: selected), .text(label)])
    }

    /// A hidden form field.
    static func hidden(_ name: String, _ value: String) -> Node {
        .input(.type(.hidden), .name(name), .value(value))
    }

    // MARK: Attributes

    static func `class`(_ names: String) -> Node { .attribute("class", names) }
    static func id(_ id: String) -> Node { .attribute("id", id) }
    static func name(_ name: String) -> Node { .attribute("name", name) }
    static func value(_ value: String) -> Node { .attribute("value", value) }
    static func `for`(_ id: String) -> Node { .attribute("for", id) }
    static func placeholder(_ text: String) -> Node { .attribute("placeholder", text) }
    static func role(_ role: StaticString) -> Node { .attribute("role", role.description) }
    static func ariaLabel(_ text: String) -> Node { .attribute("aria-label", text) }
    static func rows(_ n: Int) -> Node { .attribute("rows", String(n)) }
    static func dataLabel(_ text: String) -> Node { .attribute("data-label", text) }

    static func href(_ link: Link) -> Node { .attribute("href", link.value) }
    static func href(_ url: SiteURL) -> Node { .attribute("href", url.path) }
    static func action(_ link: Link) -> Node { .attribute("action", link.value) }
    static func action(_ url: SiteURL) -> Node { .attribute("action", url.path) }

    enum InputType: String, Sendable {
        case text, hidden, submit, button, radio, checkbox, date, time, file, search, password, email, tel, number
    }

    static func type(_ type: InputType) -> Node { .attribute("type", type.rawValue) }

    enum Method: String, Sendable { case get, post }
    static func method(_ method: Method) -> Node { .attribute("method", method.rawValue) }
    static func multipart() -> Node { .attribute("enctype", "multipart/form-data") }

    /// A field that must be filled: `required` and `aria-required` for assistive technology
    /// (the browser does not check it: forms are `novalidate`).
    static func required(_ on: Bool = true) -> Node {
        on ? .group(.attribute("required", present: true), .attribute("aria-required", "true")) : .empty
    }
    static func readonly(_ on: Bool = true) -> Node { .attribute("readonly", present: on) }
    static func checked(_ on: Bool = true) -> Node { .attribute("checked", present: on) }
    static func autofocus(_ on: Bool = true) -> Node { .attribute("autofocus", present: on) }
    static func disabled(_ on: Bool = true) -> Node { .attribute("disabled", present: on) }

    /// Asks the browser to confirm before the form is sent (`/app.js`; no inline script).
    static func confirm(_ question: String) -> Node { .attribute("data-confirm", question) }
}


/// Labelled form controls that show their field's error under them and keep the value.
enum FormField {
    static func text(_ name: String, _ label: String, value: String, errors: FieldErrors, hint: String? = nil,
                     type: Node.InputType = .text, required: Bool = false, readonly: Bool = false,
                     placeholder: String? = nil, extra: [Node] = []) -> Node {
        let error = errors[name]
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint, required: required),
            .input(.type(type), .id(name), .name(name), .value(value), .required(required), .readonly(readonly),
                   .unwrap(placeholder) { .placeholder($0) }, invalid(name, error), .group(extra)),
            message(name, error))
    }

    /// A day as Vietnamese offices write it, dd/mm/yyyy, whatever the browser's language (a
    /// native date input follows the browser's: mm/dd/yyyy in an English Chrome).
    static func date(_ name: String, _ label: String, value: String, errors: FieldErrors, required: Bool = false) -> Node {
        text(name, label, value: value, errors: errors, hint: "ngày/tháng/năm, vd 06/02/2024", required: required, placeholder: "ngày/tháng/năm",
             extra: [.attribute("inputmode", "numeric"), .attribute("pattern", "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"), .attribute("autocomplete", "off")])
    }

    /// A time of day on the 24-hour clock, hh:mm, whatever the browser's language.
    static func time(_ name: String, _ label: String, value: String, errors: FieldErrors) -> Node {
        text(name, label, value: value, errors: errors, hint: "giờ:phút, 24 giờ, vd 17:00", placeholder: "giờ:phút",
             extra: [.attribute("inputmode", "numeric"), .attribute("pattern", "([01]?[0-9]|2[0-3]):[0-5][0-9]"), .attribute("autocomplete", "off")])
    }

    static func textarea(_ name: String, _ label: String, value: String, errors: FieldErrors, hint: String? = nil,
                         rows: Int = 4, readonly: Bool = false, required: Bool = false, placeholder: String? = nil) -> Node {
        let error = errors[name]
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint, required: required),
            .textarea(.id(name), .name(name), .rows(rows), .readonly(readonly), .required(required),
                      .unwrap(placeholder) { .placeholder($0) },
                      invalid(name, error),
                      .text(value)),
            message(name, error))
    }

    static func select(_ name: String, _ label: String, options: [(value: String, label: String)], selected: String,
                       errors: FieldErrors, hint: String? = nil) -> Node {
        let error = errors[name]
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint),
            .select(.id(name), .attribute("name", name),
                    invalid(name, error),
                    .forEach(options) { .option(value: $0.value, label: $0.label, selected: $0.value == selected) }),
            message(name, error))
    }

    /// A checkbox with its label on the same line.
    static func checkbox(_ name: String, _ label: String, checked: Bool, errors: FieldErrors, hint: String? = nil) -> Node {
        .div(.class(errors[name] == nil ? "field check" : "field check invalid"),
            .label(.for(name),
                   .input(.type(.checkbox), .id(name), .name(name), .value("on"), .checked(checked)),
                   .text(" " + label),
                   .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) }),
            message(name, errors[name]))
    }

    /// The form-wide problem, or a count of the fields to fix, at the top of a form.
    static func summary(_ errors: FieldErrors) -> Node {
        guard !errors.isEmpty else { return .empty }
        let general = errors[FieldErrors.general]
        let fields = errors.messages.keys.filter { $0 != FieldErrors.general }.count
        return .div(.class("alert error"), .attribute("role", "alert"), .id("error-summary"), .attribute("tabindex", "-1"),
            .attribute("data-focus", present: true),
            .unwrap(general) { .p(.text($0)) },
            .if(fields > 0, .p(.text("Có \(fields) mục chưa hợp lệ; xem thông báo dưới từng mục, sửa rồi gửi lại."))))
    }

    /// A field's label: its name, "(bắt buộc)" when it must be filled, and its hint.
    static func labelNode(_ name: String, _ text: String, hint: String?, required: Bool = false) -> Node {
        .label(.for(name), .text(text), .if(required, .span(.class("req"), " (bắt buộc)")),
               .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) })
    }

    static func message(_ name: String, _ error: String?) -> Node {
        .unwrap(error) { .p(.class("field-error"), .id("\(name)-error"), .text($0)) }
    }

    /// Marks a control whose value was refused and points to the message under it.
    static func invalid(_ name: String, _ error: String?) -> Node {
        guard error != nil else { return .empty }
        return .group(.attribute("aria-invalid", "true"), .attribute("aria-describedby", "\(name)-error"))
    }
}

extension FormField {
    /// A POST form carrying the session's CSRF token, built in the body context so the
    /// field helpers above can go straight in.
    static func post(_ url: SiteURL, csrf: String?, multipart: Bool = false, class className: String = "stack",
                     _ nodes: [Node]) -> Node {
        .form([.class(className), .method(.post), .action(url), .if(multipart, .multipart()), Layout.csrfField(csrf)] + nodes)
    }

    /// A search form (GET): a query box and a button.
    static func search(_ url: SiteURL, name: String = "q", label: String, value: String, placeholder: String,
                       hidden: [(String, String)] = []) -> Node {
        .form(.class("filters"), .method(.get), .action(url), .role("search"),
            .forEach(hidden) { .hidden($0.0, $0.1) },
            .label(.for(name), .text(label),
                   .input(.type(.search), .id(name), .name(name), .value(value), .placeholder(placeholder))),
            .button(.type(.submit), "Tìm"))
    }

    /// A group of fields under a heading.
    static func fieldset(_ legend: String, _ nodes: [Node]) -> Node {
        .element("fieldset", [.legend(.text(legend))] + nodes)
    }
}

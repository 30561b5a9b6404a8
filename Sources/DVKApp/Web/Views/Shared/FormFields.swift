import Plot

/// Labelled form controls that show their field's error under them and keep the value.
enum FormField {
    static func text(_ name: String, _ label: String, value: String, errors: FieldErrors, hint: String? = nil,
                     type: HTMLInputType = .text, required: Bool = false, readonly: Bool = false,
                     placeholder: String? = nil, extra: [Attribute<HTML.InputContext>] = []) -> Node<HTML.BodyContext> {
        let error = errors[name]
        let attributes: [Attribute<HTML.InputContext>] = [
            .type(type), .id(name), .name(name), .value(value), .required(required), .readonly(readonly),
        ] + (placeholder.map { [.placeholder($0)] } ?? []) + invalid(name, error) + extra
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint),
            .selfClosedElement(named: "input", attributes: attributes),
            message(name, error))
    }

    static func textarea(_ name: String, _ label: String, value: String, errors: FieldErrors, hint: String? = nil,
                         rows: Int = 4, readonly: Bool = false, placeholder: String? = nil) -> Node<HTML.BodyContext> {
        let error = errors[name]
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint),
            .textarea(.id(name), .name(name), .rows(rows), .readonly(readonly),
                      .unwrap(placeholder) { .placeholder($0) },
                      .if(error != nil, .group(.attribute(named: "aria-invalid", value: "true"),
                                               .attribute(named: "aria-describedby", value: "\(name)-error"))),
                      .text(value)),
            message(name, error))
    }

    static func select(_ name: String, _ label: String, options: [(value: String, label: String)], selected: String,
                       errors: FieldErrors, hint: String? = nil) -> Node<HTML.BodyContext> {
        let error = errors[name]
        return .div(.class(error == nil ? "field" : "field invalid"),
            labelNode(name, label, hint: hint),
            .select(.id(name), .attribute(named: "name", value: name),
                    .forEach(options) { option in
                        .element(named: "option", nodes: [
                            .attribute(named: "value", value: option.value),
                            option.value == selected ? .attribute(named: "selected") : .empty,
                            .text(option.label),
                        ] as [Node<HTML.BodyContext>])
                    }),
            message(name, error))
    }

    /// A checkbox with its label on the same line.
    static func checkbox(_ name: String, _ label: String, checked: Bool, errors: FieldErrors, hint: String? = nil) -> Node<HTML.BodyContext> {
        .div(.class(errors[name] == nil ? "field check" : "field check invalid"),
            .label(.for(name),
                   .input(.type(.checkbox), .id(name), .name(name), .value("on"), .checked(checked)),
                   .text(" " + label),
                   .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) }),
            message(name, errors[name]))
    }

    /// The form-wide problem, or a count of the fields to fix, at the top of a form.
    static func summary(_ errors: FieldErrors) -> Node<HTML.BodyContext> {
        guard !errors.isEmpty else { return .empty }
        let general = errors[FieldErrors.general]
        let fields = errors.messages.keys.filter { $0 != FieldErrors.general }.count
        return .div(.class("alert error"), .attribute(named: "role", value: "alert"),
            .unwrap(general) { .p(.text($0)) },
            .if(fields > 0, .p(.text("Có \(fields) mục chưa hợp lệ; xem thông báo dưới từng mục, sửa rồi gửi lại."))))
    }

    static func labelNode(_ name: String, _ text: String, hint: String?) -> Node<HTML.BodyContext> {
        .label(.for(name), .text(text), .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) })
    }

    static func message(_ name: String, _ error: String?) -> Node<HTML.BodyContext> {
        .unwrap(error) { .p(.class("field-error"), .id("\(name)-error"), .text($0)) }
    }

    private static func invalid(_ name: String, _ error: String?) -> [Attribute<HTML.InputContext>] {
        guard error != nil else { return [] }
        return [.attribute(named: "aria-invalid", value: "true"), .attribute(named: "aria-describedby", value: "\(name)-error")]
    }
}

extension FormField {
    /// A POST form carrying the session's CSRF token, built in the body context so the
    /// field helpers above can go straight in.
    static func post(_ url: String, csrf: String?, multipart: Bool = false, class className: String = "stack",
                     _ nodes: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext> {
        .element(named: "form", nodes: [
            .class(className), .attribute(named: "method", value: "post"), .attribute(named: "action", value: url),
            multipart ? .attribute(named: "enctype", value: "multipart/form-data") : .empty,
            .input(.type(.hidden), .name("_csrf"), .value(csrf ?? "")),
        ] + nodes)
    }

    /// A search form (GET): a query box and a button.
    static func search(_ url: String, name: String = "q", label: String, value: String, placeholder: String,
                       hidden: [(String, String)] = []) -> Node<HTML.BodyContext> {
        .element(named: "form", nodes: [
            .class("filters"), .attribute(named: "method", value: "get"), .attribute(named: "action", value: url),
            .attribute(named: "role", value: "search"),
            .forEach(hidden) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
            .label(.for(name), .text(label),
                   .input(.type(.search), .id(name), .name(name), .value(value), .placeholder(placeholder))),
            .button(.type(.submit), "Tìm"),
        ])
    }

    /// A group of fields under a heading.
    static func fieldset(_ legend: String, _ nodes: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext> {
        .element(named: "fieldset", nodes: [.element(named: "legend", text: legend)] + nodes)
    }
}

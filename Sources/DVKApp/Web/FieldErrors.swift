import Vapor

/// What is wrong with a submitted form, by field name, in Vietnamese: the page shows each
/// message under its field and keeps what the user typed. `general` is for a problem that
/// belongs to no one field.
struct FieldErrors: Error, Sendable, Equatable {
    var messages: [String: String] = [:]

    static let general = "_"

    var isEmpty: Bool { messages.isEmpty }

    subscript(field: String) -> String? {
        get { messages[field] }
        set { messages[field] = newValue }
    }

    /// Throws when any field has a problem.
    func check() throws {
        if !isEmpty { throw self }
    }
}

extension FieldErrors: AbortError {
    // Only reached if a handler lets one escape instead of re-showing its form.
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { messages.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n") }
}

import Foundation

/// The part of OpenAPI 3.1 that DVK's API document needs, as values that encode to the
/// standard JSON. Kept small on purpose: no generator, no dependency; `APISpec` fills it.
enum OpenAPI {
    struct Document: Encodable, Sendable {
        var openapi = "3.1.0"
        var info: Info
        var servers: [Server]
        var security: [[String: [String]]]
        var tags: [Tag]
        /// Path templates ("/api/v1/units/{unit}") to their operations.
        var paths: [String: PathItem]
        var components: Components
    }

    struct Info: Encodable, Sendable {
        var title: String
        var version: String
        var description: String
    }

    struct Server: Encodable, Sendable {
        var url: String
    }

    struct Tag: Encodable, Sendable {
        var name: String
        var description: String
    }

    struct PathItem: Encodable, Sendable {
        var get: Operation?
        var post: Operation?
        var put: Operation?
        var delete: Operation?
        var patch: Operation?

        /// The operations by upper-case method name ("GET"…).
        var operations: [String: Operation] {
            var out: [String: Operation] = [:]
            if let get { out["GET"] = get }
            if let post { out["POST"] = post }
            if let put { out["PUT"] = put }
            if let delete { out["DELETE"] = delete }
            if let patch { out["PATCH"] = patch }
            return out
        }
    }

    struct Operation: Encodable, Sendable {
        var operationId: String
        var summary: String
        var description: String?
        var tags: [String]
        var parameters: [Parameter]?
        var requestBody: RequestBody?
        /// Status codes ("200", "404", "default") to responses.
        var responses: [String: Response]
        /// `[]` for a route that needs no credential; nil inherits the document's.
        var security: [[String: [String]]]?
    }

    struct Parameter: Encodable, Sendable {
        enum Location: String, Encodable, Sendable { case path, query, header }
        var name: String
        var `in`: Location
        var required: Bool
        var description: String
        var schema: Schema
    }

    struct RequestBody: Encodable, Sendable {
        var required: Bool
        var description: String?
        var content: [String: MediaType]
    }

    struct Response: Encodable, Sendable {
        var description: String
        var content: [String: MediaType]?
        var headers: [String: Header]?
    }

    struct Header: Encodable, Sendable {
        var description: String
        var schema: Schema
    }

    struct MediaType: Encodable, Sendable {
        var schema: Schema
    }

    struct Components: Encodable, Sendable {
        var schemas: [String: Schema]
        var securitySchemes: [String: SecurityScheme]
    }

    struct SecurityScheme: Encodable, Sendable {
        var type: String
        var scheme: String?
        var bearerFormat: String?
        var `in`: String?
        var name: String?
        var description: String
    }

    /// A JSON Schema (2020-12, as OpenAPI 3.1 uses it), restricted to what the API returns.
    struct Schema: Encodable, Sendable {
        indirect enum Kind: Sendable {
            /// `#/components/schemas/NAME`
            case ref(String)
            case string(format: String?, values: [String]?, pattern: String?)
            case integer(minimum: Int?, maximum: Int?)
            case boolean
            case array(Schema)
            case object([Property])
            /// An object of any keys, each value of this schema.
            case map(Schema)
            /// The value, or JSON `null`.
            case nullable(Schema)
            /// JSON `null` alone (the second half of `nullable`).
            case null
        }

        struct Property: Sendable {
            var name: String
            var schema: Schema
            var required: Bool
        }

        var kind: Kind
        var description: String?
        var minLength: Int?
        var maxLength: Int?

        /// A string's bounds, in characters.
        func length(min: Int? = nil, max: Int?) -> Schema {
            var out = self
            out.minLength = min
            out.maxLength = max
            return out
        }

        static func ref(_ name: String) -> Schema { Schema(kind: .ref(name)) }
        static func string(_ description: String? = nil, format: String? = nil, values: [String]? = nil,
                           pattern: String? = nil) -> Schema {
            Schema(kind: .string(format: format, values: values, pattern: pattern), description: description)
        }
        static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> Schema {
            Schema(kind: .integer(minimum: minimum, maximum: maximum), description: description)
        }
        static func boolean(_ description: String? = nil) -> Schema { Schema(kind: .boolean, description: description) }
        static func array(_ items: Schema, _ description: String? = nil) -> Schema {
            Schema(kind: .array(items), description: description)
        }
        static func object(_ description: String? = nil, _ properties: [Property]) -> Schema {
            Schema(kind: .object(properties), description: description)
        }
        static func map(_ values: Schema, _ description: String? = nil) -> Schema {
            Schema(kind: .map(values), description: description)
        }
        static func nullable(_ schema: Schema, _ description: String? = nil) -> Schema {
            Schema(kind: .nullable(schema), description: description)
        }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            if let description { try c.encode(description, forKey: Key("description")) }
            switch kind {
            case .ref(let name):
                try c.encode("#/components/schemas/\(name)", forKey: Key("$ref"))
            case .string(let format, let values, let pattern):
                try c.encode("string", forKey: Key("type"))
                try c.encodeIfPresent(format, forKey: Key("format"))
                try c.encodeIfPresent(values, forKey: Key("enum"))
                try c.encodeIfPresent(pattern, forKey: Key("pattern"))
                try c.encodeIfPresent(minLength, forKey: Key("minLength"))
                try c.encodeIfPresent(maxLength, forKey: Key("maxLength"))
            case .integer(let minimum, let maximum):
                try c.encode("integer", forKey: Key("type"))
                try c.encodeIfPresent(minimum, forKey: Key("minimum"))
                try c.encodeIfPresent(maximum, forKey: Key("maximum"))
            case .boolean:
                try c.encode("boolean", forKey: Key("type"))
            case .array(let items):
                try c.encode("array", forKey: Key("type"))
                try c.encode(items, forKey: Key("items"))
            case .object(let properties):
                try c.encode("object", forKey: Key("type"))
                var nested = c.nestedContainer(keyedBy: Key.self, forKey: Key("properties"))
                for p in properties { try nested.encode(p.schema, forKey: Key(p.name)) }
                let required = properties.filter(\.required).map(\.name)
                if !required.isEmpty { try c.encode(required, forKey: Key("required")) }
            case .map(let values):
                try c.encode("object", forKey: Key("type"))
                try c.encode(values, forKey: Key("additionalProperties"))
            case .nullable(let schema):
                try c.encode([schema, Schema(kind: .null)], forKey: Key("anyOf"))
            case .null:
                try c.encode("null", forKey: Key("type"))
            }
        }
    }
}

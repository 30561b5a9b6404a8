import DVKCore
import Foundation

extension APISpec {
    static var auditPaths: [String: OpenAPI.PathItem] {
        [
            APIRoute.listAudit.template: .init(
                get: read(.listAudit, "The audit trail of the caller's reach, newest first", tag: "audit",
                          description: "For federation staff (the events of their unit's subtree) and administrators (every event); officers and viewers get 403. At most `limit` events (default 50, at most 500); `next` is the cursor of the following page, null after the last.",
                          parameters: [
                            .init(name: "unit", in: .query, required: false, description: "A unit's code: its events and those of the units below it", schema: unitCode),
                            .init(name: "since", in: .query, required: false, description: "A day, `2024-02-12` or `12/02/2024`: events from its start (Vietnam time)",
                                  schema: .string().length(max: 20)),
                            .init(name: "kind", in: .query, required: false, description: "Only events on this kind of object",
                                  schema: values(AuditObjectKind.allCases, AuditObjectKind.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))),
                            .init(name: "before", in: .query, required: false, description: "The `next` of the previous page", schema: .string().length(max: 80)),
                            .init(name: "limit", in: .query, required: false, description: "Events per page (1–500, default 50)",
                                  schema: .integer(minimum: 1, maximum: 500)),
                          ], ok: .ref("AuditPage"), notFound: true, refusals: true)),
        ]
    }

    static var auditSchemas: [String: Schema] {
        [
            "AuditChange": .object("One field old → new (long texts in full; a file by its name and hash)", [
                required("field", .string("The field's name, in Vietnamese")), required("old", .string()), required("new", .string()),
            ]),
            "AuditEvent": .object("One event of the trail, sealed into its unit's chain", [
                required("id", .string(format: "uuid")), required("at", instant), required("actor", .string("Who, with role and unit, or the CLI")),
                required("actorRole", .string("`admin`, `staff`, `officer`, `viewer`, or empty for the CLI and DVK itself")),
                required("address", .string()), required("requestId", .string()),
                required("action", .string("e.g. `initiative.changed`")), required("actionLabel", .string("The action in Vietnamese")),
                required("kind", values(AuditObjectKind.allCases, "The kind of object")), required("objectId", .string()),
                required("objectLabel", .string("The object's name when it changed")),
                required("unit", .nullable(.string("The unit's code"))), required("campaignId", .nullable(.string(format: "uuid"))),
                required("changes", .array(.ref("AuditChange"))), required("details", .map(.string(), "More about the event, in Vietnamese")),
                required("chain", .string()), required("seq", .integer(minimum: 1)), required("hash", .string("SHA-256, hex")),
                required("prevHash", .string()),
            ]),
            "AuditPage": .object(nil, [
                required("events", .array(.ref("AuditEvent"))), required("next", .nullable(.string("The cursor of the next page"))),
            ]),
        ]
    }
}

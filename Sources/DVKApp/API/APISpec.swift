import DVKCore
import Foundation

/// The OpenAPI document of /api/v1, served at `/api/v1/openapi.json`. Written by hand next
/// to the controllers; tests check that it lists exactly the registered routes and that
/// every response the server gives matches the schema documented for it.
enum APISpec {
    typealias Schema = OpenAPI.Schema
    typealias Property = OpenAPI.Schema.Property

    /// The document as served: sorted keys, so it is byte-for-byte stable.
    static let json: Data = {
        (try? JSONCoding.encoder().encode(document)) ?? Data("{}".utf8)
    }()

    static let document = OpenAPI.Document(
        info: .init(
            title: "DVK API",
            version: "1.0.0",
            description: """
            The JSON API of DVK, the registration of “Dân vận khéo” models for Vietnam's trade unions. \
            Same people, same scopes, same rules as the web pages: a user reaches only their unit's subtree; \
            anything else answers 404, whether it exists or not. Authenticate with a bearer token \
            (`dvk user token USERNAME` prints one) or with the browser's session cookie; with the cookie, \
            requests that change data need the header `X-CSRF-Token`. Instants are ISO 8601 in Vietnam time \
            (`2024-02-16T00:00:00+07:00`), days are `YYYY-MM-DD`. Messages are in Vietnamese.
            """),
        servers: [.init(url: "/")],
        security: [["bearerAuth": []], ["sessionCookie": []]],
        tags: [
            .init(name: "units", description: "Who is asking, and the live unit tree below them"),
            .init(name: "campaigns", description: "Campaigns, where each unit stands, the Biểu tổng hợp"),
            .init(name: "initiatives", description: "A unit's registered models (mô hình) in a campaign"),
            .init(name: "workflow", description: "Submitting, declaring no model, accepting, returning"),
            .init(name: "year", description: "The year of a model after its registration is accepted: progress, verification, recognition, nomination upward, commendation, publication"),
            .init(name: "library", description: "The public library of exemplary models: no credential needed"),
            .init(name: "users", description: "Accounts, for federation staff (their subtree) and administrators: invitations instead of passwords"),
            .init(name: "meta", description: "This document"),
        ],
        paths: paths,
        components: .init(schemas: schemas, securitySchemes: [
            "bearerAuth": .init(type: "http", scheme: "bearer", bearerFormat: "dvk_…",
                                description: "An API token from `dvk user token USERNAME`: `Authorization: Bearer dvk_…`."),
            "sessionCookie": .init(type: "apiKey", in: "cookie", name: AuthStore.cookieName,
                                   description: "The browser's session after signing in at /login. POST, PUT and DELETE also need the header `X-CSRF-Token` with the session's CSRF token."),
        ]))

    // MARK: Paths

    static let base = APIRoute.base

    static var paths: [String: OpenAPI.PathItem] {
        return yearPaths.merging(userPaths) { a, _ in a }.merging(auditPaths) { a, _ in a }.merging([
            APIRoute.openAPI.template: .init(get: .init(
                operationId: APIRoute.openAPI.rawValue, summary: "This OpenAPI document", tags: ["meta"],
                responses: ["200": .init(description: "The OpenAPI 3.1 document",
                                         content: ["application/json": .init(schema: .object(nil, []))])],
                security: [])),
            APIRoute.getMe.template: .init(get: read(.getMe, "The signed-in user and their unit", tag: "units",
                                          ok: .ref("Me"), notFound: false)),
            APIRoute.listUnits.template: .init(get: read(
                .listUnits, "The caller's unit and every unit below it, flat, in tree order", tag: "units",
                description: "Pre-order (children by code); `parent` names each unit's parent, null for the caller's own unit; `depth` is 0 for the caller's own unit.",
                ok: .array(.ref("UnitListItem")), notFound: false)),
            APIRoute.getUnit.template: .init(get: read(
                .getUnit, "One unit of the caller's subtree, with its children", tag: "units",
                parameters: [unitParameter], ok: .ref("Unit"))),
            APIRoute.listCampaigns.template: .init(get: read(
                .listCampaigns, "The campaigns the caller can see, newest first", tag: "campaigns",
                parameters: [
                    .init(name: "year", in: .query, required: false, description: "Only the campaigns of this year", schema: .string(pattern: "^[0-9]{4}$")),
                    .init(name: "state", in: .query, required: false, description: "Only the campaigns in this state", schema: .ref("CampaignState")),
                ],
                ok: .array(.ref("Campaign")), notFound: false, badParameters: true)),
            APIRoute.getCampaign.template: .init(get: read(
                .getCampaign, "One campaign: sectors, deadline, state, issuer, the caller's scope", tag: "campaigns",
                parameters: [campaignParameter], ok: .ref("Campaign"))),
            APIRoute.listSubmissions.template: .init(get: read(
                .listSubmissions, "Every target unit in the caller's scope, in tree order, with its status", tag: "campaigns",
                parameters: [campaignParameter], ok: .array(.ref("SubmissionRow")))),
            APIRoute.getSummary.template: .init(get: read(
                .getSummary, "The Biểu tổng hợp of a unit, or the roll-up of a federation's subtree", tag: "campaigns",
                description: "Exactly the JSON of `dvk summary --format json`: the official counts (submitted, resubmitted and accepted work). `rows` follow the campaign's sector order; `total` is the column sum, as on the paper form; `distinct` counts each registrant once over all sectors.",
                parameters: [campaignParameter, .init(
                    name: "unit", in: .query, required: false,
                    description: "A unit's code in the campaign's tree; the top of the caller's scope when left out.",
                    schema: .string())],
                ok: .ref("Summary"))),
            APIRoute.getSubmission.template: .init(get: read(
                .getSubmission, "A unit's submission: status, deadline, return reason, what the caller may do, history",
                tag: "campaigns", parameters: [campaignParameter, unitParameter], ok: .ref("Submission"),
                headers: ["ETag": .init(description: "The submission's version, for `If-Match`", schema: .string())])),
            APIRoute.listInitiatives.template: .init(
                get: read(.listInitiatives, "The unit's initiatives in the campaign", tag: "initiatives",
                          parameters: [campaignParameter, unitParameter], ok: .array(.ref("Initiative"))),
                post: write(.createInitiative, "Register an initiative for the unit", tag: "initiatives",
                            description: "For the unit's officer, or staff and administrators over it, while the submission is not started, a draft or returned.",
                            parameters: [campaignParameter, unitParameter, ifMatchParameter], body: .ref("InitiativeInput"),
                            status: "201", ok: .ref("Initiative"),
                            headers: ["Location": .init(description: "The new initiative's URL", schema: .string())])),
            APIRoute.deleteInitiative.template: .init(
                get: read(.getInitiative, "One initiative of the unit", tag: "initiatives",
                          parameters: [campaignParameter, unitParameter, idParameter], ok: .ref("Initiative")),
                put: write(.updateInitiative, "Replace an initiative's fields", tag: "initiatives",
                           description: "Every field is replaced; a field left out becomes empty. `registrantTitle` belongs to the registrant (the same name, kind and unit across initiatives) and is kept when left out or empty.",
                           parameters: [campaignParameter, unitParameter, idParameter, ifMatchParameter], body: .ref("InitiativeInput"),
                           ok: .ref("Initiative")),
                delete: write(.deleteInitiative, "Delete an initiative", tag: "initiatives",
                              parameters: [campaignParameter, unitParameter, idParameter, ifMatchParameter], status: "204", ok: nil,
                              invalid: false)),
            APIRoute.submit.template: .init(post: write(
                .submit, "Submit the unit's initiatives (again, after a return)", tag: "workflow",
                description: "For the unit's officer, or staff and administrators over it. 422 when there is nothing to submit; 409 when the submission is already submitted or the campaign is closed.",
                parameters: [campaignParameter, unitParameter, ifMatchParameter], ok: .ref("Submission"))),
            APIRoute.declare.template: .init(post: write(
                .declare, "Answer “no model this year” (a zero that is an answer)", tag: "workflow",
                description: "Only for a unit with no initiative (422 otherwise).",
                parameters: [campaignParameter, unitParameter, ifMatchParameter], ok: .ref("Submission"))),
            APIRoute.accept.template: .init(post: write(
                .accept, "Accept a submitted registration", tag: "workflow",
                description: "For staff and administrators over the unit.",
                parameters: [campaignParameter, unitParameter, ifMatchParameter], ok: .ref("Submission"), invalid: false)),
            APIRoute.returnSubmission.template: .init(post: write(
                .returnSubmission, "Return a submission to the unit with a reason it will see", tag: "workflow",
                description: "For staff and administrators over the unit. The reason is required (422 when empty); comments on initiatives and a day to resubmit by are optional.",
                parameters: [campaignParameter, unitParameter, ifMatchParameter], body: .ref("ReturnInput"), ok: .ref("Submission"))),
            APIRoute.extend.template: .init(post: write(
                .extend, "Extend the unit's deadline, or take the extension back", tag: "workflow",
                description: "For staff and administrators over the unit, while the campaign is open: after the campaign's deadline and within its year (422 otherwise). Recorded in the history.",
                parameters: [campaignParameter, unitParameter, ifMatchParameter], body: .ref("ExtensionInput"), ok: .ref("Submission"))),
        ]) { a, _ in a }
    }

    static let campaignParameter = OpenAPI.Parameter(
        name: "campaign", in: .path, required: true, description: "The campaign's code, e.g. `DVK-2024`", schema: .string())
    static let unitParameter = OpenAPI.Parameter(
        name: "unit", in: .path, required: true, description: "A unit's code, e.g. `LB-GD-THNL`", schema: .string())
    static let idParameter = OpenAPI.Parameter(
        name: "id", in: .path, required: true, description: "The initiative's id", schema: .string(format: "uuid"))
    static let ifMatchParameter = OpenAPI.Parameter(
        name: "If-Match", in: .header, required: false,
        description: "The submission's version (its `ETag`, e.g. `\"12\"`): the request is refused with 409, and nothing changes, if the unit's registration was written since. `*` asks for no check.",
        schema: .string(pattern: #"^(\*|(W/)?"?[0-9]{1,18}"?)$"#))
    static let csrfParameter = OpenAPI.Parameter(
        name: "X-CSRF-Token", in: .header, required: false,
        description: "Required with the session cookie (the session's CSRF token); not needed with a bearer token.",
        schema: .string())

    static func content(_ schema: Schema) -> [String: OpenAPI.MediaType] { ["application/json": .init(schema: schema)] }

    static func error(_ description: String) -> OpenAPI.Response {
        .init(description: description, content: content(.ref("Error")))
    }

    static let unauthenticated = error("No credential, or one that is not valid (code `unauthenticated`)")
    static let notFound = error("Unknown, or outside the caller's scope: the two are not told apart (code `not_found`)")

    static func read(_ route: APIRoute, _ summary: String, tag: String, description: String? = nil,
                     parameters: [OpenAPI.Parameter] = [], ok: Schema, headers: [String: OpenAPI.Header]? = nil,
                     notFound hasNotFound: Bool = true, refusals: Bool = false, badParameters: Bool = false) -> OpenAPI.Operation {
        var responses: [String: OpenAPI.Response] = [
            "200": .init(description: "OK", content: content(ok), headers: headers),
            "401": unauthenticated,
            "default": error("Any other error"),
        ]
        if hasNotFound { responses["404"] = notFound }
        // A read some roles may not make at all; parameters of a closed set.
        if refusals { responses["403"] = error("Not allowed for the caller's role (code `forbidden`)") }
        if refusals || badParameters {
            responses["400"] = error("A parameter is not one of its documented values (code `bad_request`)")
        }
        return .init(operationId: route.rawValue, summary: summary, description: description, tags: [tag],
                     parameters: parameters.isEmpty ? nil : parameters, responses: responses)
    }

    static func write(_ route: APIRoute, _ summary: String, tag: String, description: String? = nil,
                      parameters: [OpenAPI.Parameter], body: Schema? = nil, bodyRequired: Bool = true, status: String = "200", ok: Schema?,
                      headers: [String: OpenAPI.Header]? = nil, invalid: Bool = true) -> OpenAPI.Operation {
        var responses: [String: OpenAPI.Response] = [
            status: .init(description: status == "204" ? "Done, no content" : status == "201" ? "Created" : "OK",
                          content: ok.map(content), headers: headers),
            "401": unauthenticated,
            "403": error("Not allowed for the caller's role (code `forbidden`), or a session request without a valid `X-CSRF-Token` (code `csrf`)"),
            "404": notFound,
            "409": error("Not possible in the submission's or the campaign's current state (code `conflict`)"),
            "default": error("Any other error"),
        ]
        if body != nil { responses["400"] = error("The body is not JSON of the documented shape (code `bad_request`)") }
        if invalid { responses["422"] = error("The values do not pass validation; the message names every problem (code `invalid`)") }
        return .init(operationId: route.rawValue, summary: summary, description: description, tags: [tag],
                     parameters: parameters + [csrfParameter],
                     requestBody: body.map { .init(required: bodyRequired, content: content($0)) },
                     responses: responses)
    }

    // MARK: Schemas

    static func required(_ name: String, _ schema: Schema) -> Property { Property(name: name, schema: schema, required: true) }
    static func optional(_ name: String, _ schema: Schema) -> Property { Property(name: name, schema: schema, required: false) }

    static let lateRule = "Late: the first submission (or “no model” answer) came at or after the unit's deadline, its extension included. A return and a resubmission never change it."
    static let instant = Schema.string("ISO 8601 in Vietnam time, e.g. `2024-02-16T00:00:00+07:00`", format: "date-time")
    static let day = Schema.string("A calendar day, `YYYY-MM-DD`", format: "date")

    /// An extension or resubmit-by day (`DeadlineInput.throughDay`): a day alone means the
    /// end of it ("đến hết ngày"), as on the web; a time makes it that instant.
    static func throughDay(_ what: String) -> Schema {
        .string(what + ": `YYYY-MM-DD` is the end of that day (00:00 of the next, Vietnam time); "
                + "an ISO 8601 instant is that instant (no offset means Vietnam time)",
                pattern: #"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-](0[0-9]|1[0-4]):?[0-5][0-9])?)?$"#)
    }
    static func values<T: RawRepresentable>(_ cases: [T], _ description: String) -> Schema where T.RawValue == String {
        .string(description, values: cases.map(\.rawValue))
    }

    static var schemas: [String: Schema] {
        yearSchemas.merging(userSchemas) { a, _ in a }.merging(auditSchemas) { a, _ in a }.merging([
            "Error": .object("Every error: a stable code and a Vietnamese message fit to show to a person", [
                required("error", .object(nil, [
                    required("code", .string("`unauthenticated` (401), `csrf` (403), `forbidden` (403), `not_found` (404), `bad_request` (400, 415), `conflict` (409), `invalid` (422), `too_large` (413), `internal` (500), `error` (other statuses)")),
                    required("message", .string("In Vietnamese")),
                ])),
            ]),
            "Role": values(Role.allCases, "`admin`, `staff` (federation officer), `officer` (grassroots union officer), `viewer` (read only)"),
            "UnitKind": values(UnitKind.allCases, "`federation` (any level above the grassroots) or `grassroots` (CĐCS)"),
            "CampaignState": values(CampaignState.allCases, "draft → open → closed → archived"),
            "SubmissionStatus": values(SubmissionStatus.allCases, "not_started → draft → submitted → accepted, or returned → resubmitted"),
            "SubmissionAction": values([SubmissionAction.edit, .submit, .declare, .accept, .return, .reopen, .import, .extend],
                                       "What was done to a submission"),
            "Phase": values(Standing.Phase.allCases,
                            "Where the unit stands, as the dashboard groups it: handed in = `waiting_review` + `accepted` + `no_model`; not handed in = `not_started` + `draft` + `returned`"),
            "RegistrantKind": values(RegistrantKind.allCases, "`collective` (tập thể) or `individual` (cá nhân)"),
            "Continuity": values(Continuity.allCases, "`new`, or `continues` (maintains, replicates) an earlier recognised model"),
            "UnitRef": .object(nil, [
                required("code", .string()), required("name", .string()), required("kind", .ref("UnitKind")),
            ]),
            "Me": .object(nil, [
                required("username", .string()), required("displayName", .string()),
                required("role", .ref("Role")), required("unit", .ref("UnitRef")),
            ]),
            "UnitListItem": .object(nil, [
                required("code", .string()), required("name", .string()), required("kind", .ref("UnitKind")),
                required("parent", .nullable(.string(), "The parent's code; null for the caller's own unit")),
                required("depth", .integer("0 for the caller's own unit", minimum: 0)),
            ]),
            "Unit": .object(nil, [
                required("code", .string()), required("name", .string()), required("kind", .ref("UnitKind")),
                required("parent", .nullable(.string(), "The parent's code; null for the caller's own unit")),
                required("email", .string()), required("phone", .string()),
                required("children", .array(.ref("UnitRef"), "The live units directly below, by code")),
                required("endedAt", .nullable(.string("When the unit was dissolved or merged; it then takes no account, unit or campaign. "
                                                      + (instant.description ?? ""), format: "date-time"), "null while the unit is live")),
                required("mergedInto", .nullable(.string(), "The code of the unit it merged into; null when live or dissolved")),
            ]),
            "Sector": .object(nil, [required("code", .string()), required("name", .string())]),
            "Signer": .object(nil, [
                required("authority", .string("e.g. “TM. BAN THƯỜNG VỤ”")), required("title", .string("e.g. “PHÓ CHỦ TỊCH”")),
                required("name", .string()),
            ]),
            "Campaign": .object(nil, [
                required("code", .string()), required("year", .integer()), required("title", .string()),
                required("number", .string("The letter's number, e.g. “26/LĐLĐ”")),
                required("issuedOn", day), required("state", .ref("CampaignState")),
                required("deadline", .string("Submissions at or after this instant are late. " + (instant.description ?? ""), format: "date-time")),
                required("acceptsLate", .boolean("Late submissions are still accepted")),
                required("issuer", .ref("UnitRef")),
                required("sectors", .array(.ref("Sector"), "In the campaign's order")),
                required("signer", .ref("Signer")),
                required("scope", .ref("UnitRef")),
                required("canRun", .boolean("The caller runs the campaign (staff or administrator over its whole tree)")),
            ]),
            "SubmissionRow": .object(nil, [
                required("code", .string()), required("name", .string()),
                required("parent", .nullable(.string(), "The parent's code in the campaign's tree; null when outside the caller's scope")),
                required("status", .ref("SubmissionStatus")), required("phase", .ref("Phase")), required("noModel", .boolean()),
                required("initiatives", .integer("All its initiatives, counted or not", minimum: 0)),
                required("deadline", .string("The unit's deadline (an extension included). " + (instant.description ?? ""), format: "date-time")),
                required("firstSubmittedAt", .nullable(instant, "Its first submission (or “no model” answer); decides lateness")),
                required("submittedAt", .nullable(instant, "Its latest submission")),
                required("late", .boolean(lateRule)),
                required("resubmittedLate", .boolean("Returned work came back at or after the date the reviewer set")),
            ]),
            "Event": .object(nil, [
                required("at", instant), required("actor", .string("The username")),
                required("action", .ref("SubmissionAction")),
                required("from", .ref("SubmissionStatus")), required("to", .ref("SubmissionStatus")),
                required("note", .string("The reason of a return; empty otherwise")),
            ]),
            "Submission": .object(nil, [
                required("campaign", .string()), required("unit", .ref("UnitRef")),
                required("isTarget", .boolean("Only target units register; for others the status stays not_started")),
                required("status", .ref("SubmissionStatus")),
                required("noModel", .boolean("The unit answered “no model this year”")),
                required("initiatives", .integer("How many initiatives the unit has registered", minimum: 0)),
                required("deadline", .string("The unit's deadline (an extension included). " + (instant.description ?? ""), format: "date-time")),
                required("extendedUntil", .nullable(instant, "The extension granted to the unit, if any")),
                required("phase", .ref("Phase")),
                required("firstSubmittedAt", .nullable(instant, "Its first submission (or “no model” answer); decides lateness")),
                required("submittedAt", .nullable(instant, "Its latest submission")),
                required("late", .boolean(lateRule)),
                required("resubmitBy", .nullable(instant, "The instant before which the reviewer asked for returned work again")),
                required("resubmittedLate", .boolean("Returned work came back at or after `resubmitBy`")),
                required("returnReason", .nullable(.string(), "Why it was returned, while it is")),
                required("version", .integer("Grows with every write of the unit's registration; also the `ETag`. Send it as `If-Match` to a step to have it refused (409) if anything changed since", minimum: 0)),
                required("canRegister", .boolean("The caller may add, edit and delete initiatives and submit")),
                required("canSubmitNow", .boolean("The caller may submit (or resubmit) now")),
                required("canReview", .boolean("The caller may accept, return and extend")),
                required("history", .array(.ref("Event"), "Oldest first")),
            ]),
            "Initiative": .object(nil, initiativeFields(output: true)),
            "InitiativeInput": .object(
                "kind, registrantName, sector and title are required: without them the answer is 422 naming each.",
                initiativeFields(output: false)),
            "ReturnInput": .object(nil, [
                required("reason", TextRules.returnReason.schema("Shown to the unit; required")),
                optional("resubmitBy", .nullable(throughDay("The last day to resubmit"))),
                optional("comments", .nullable(.map(TextRules.reviewComment.schema(nil),
                                                    "Comments shown beside initiatives: keys are initiative ids, values the comment"))),
            ]),
            "ExtensionInput": .object(nil, [
                required("until", .nullable(throughDay("The unit's new deadline; null takes the extension back"))),
            ]),
            "Summary": .object("The Biểu tổng hợp, exactly as `dvk summary --format json` prints it", [
                required("campaign", .string()),
                required("unit", .object(nil, [required("code", .string()), required("name", .string())])),
                required("rows", .array(.object(nil, [
                    required("sector", .string("The sector's code")), required("name", .string()),
                    required("collectives", .integer("Distinct collectives registering in the sector", minimum: 0)),
                    required("collectiveInitiatives", .integer(minimum: 0)),
                    required("individuals", .integer("Distinct individuals registering in the sector", minimum: 0)),
                    required("individualInitiatives", .integer(minimum: 0)),
                ]), "One per sector, in the campaign's order")),
                required("total", .object("The column sums, as on the paper form", [
                    required("collectives", .integer(minimum: 0)), required("collectiveInitiatives", .integer(minimum: 0)),
                    required("individuals", .integer(minimum: 0)), required("individualInitiatives", .integer(minimum: 0)),
                ])),
                required("distinct", .object("Each registrant counted once over all sectors", [
                    required("collectives", .integer(minimum: 0)), required("individuals", .integer(minimum: 0)),
                ])),
            ]),
        ]) { a, _ in a }
    }

    /// The fields of an initiative: the response has them all (and its id and times); the
    /// request needs four, with the lengths `InitiativeField` allows, and takes null for
    /// any other (as empty).
    static func initiativeFields(output: Bool) -> [Property] {
        let need: Set<InitiativeField> = [.kind, .registrantName, .sector, .title]
        func field(_ f: InitiativeField, _ schema: Schema) -> Property {
            if output { return Property(name: f.rawValue, schema: schema, required: true) }
            let bounded = schema.kind.isString ? schema.length(min: need.contains(f) ? 1 : nil, max: f.rule.maxLength) : schema
            return Property(name: f.rawValue, schema: need.contains(f) ? bounded : .nullable(bounded), required: need.contains(f))
        }
        let text = Schema.string()
        let date: Schema = output ? .nullable(day) : .string("A calendar day, `YYYY-MM-DD` or `dd/mm/yyyy`; empty for none")
        var fields = [
            field(.kind, output ? .ref("RegistrantKind") : .string("`collective` (tập thể) or `individual` (cá nhân)", values: RegistrantKind.allCases.map(\.rawValue))),
            field(.registrantName, .string("The collective's or individual's name")),
            field(.registrantTitle, .string("An individual's position or title")),
            field(.sector, .string("One of the campaign's sector codes (or its name)")),
            field(.title, .string("The model's name")),
            field(.purpose, text), field(.content, text), field(.scope, text),
            field(.startDate, date), field(.endDate, date),
            field(.expectedResult, text), field(.personInCharge, text),
            field(.continuity, output ? .ref("Continuity") : .string("`new` (default) or `continues`", values: Continuity.allCases.map(\.rawValue))),
        ]
        let continues = Schema.string("The earlier model it continues: an initiative of the unit in another campaign", format: "uuid")
        if output {
            fields.insert(Property(name: "id", schema: .string(format: "uuid"), required: true), at: 0)
            fields.insert(Property(name: "unit", schema: .string("The unit's code"), required: true), at: 1)
            fields += [Property(name: "continues", schema: .nullable(continues), required: true),
                       Property(name: "reviewComment", schema: .string("The reviewer's comment when the submission was returned; empty otherwise"), required: true),
                       Property(name: "createdAt", schema: .nullable(instant), required: true),
                       Property(name: "updatedAt", schema: .nullable(instant), required: true)]
        } else {
            fields.append(Property(name: "continues", schema: .nullable(continues), required: false))
        }
        return fields
    }
}

extension TextRule {
    /// The schema of a text field with this rule's bounds.
    func schema(_ description: String?) -> OpenAPI.Schema {
        OpenAPI.Schema.string(description).length(min: required ? 1 : nil, max: maxLength)
    }
}

extension OpenAPI.Schema.Kind {
    var isString: Bool { if case .string = self { true } else { false } }
}

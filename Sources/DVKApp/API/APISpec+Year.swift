import DVKCore
import Foundation

/// The year of a model and the public library in the OpenAPI document.
extension APISpec {
    static var yearPaths: [String: OpenAPI.PathItem] {
        let params = [campaignParameter, unitParameter, idParameter]
        let judge = "For staff and administrators of a federation above the unit, once the unit's registration is accepted (409 before)."
        return [
            APIRoute.getModelYear.template: .init(get: read(
                .getModelYear, "A model's year: progress reports, verifications, recognitions, nominations, commendations, lineage",
                tag: "year", parameters: params, ok: .ref("ModelYear"))),
            APIRoute.reportProgress.template: .init(post: write(
                .reportProgress, "Add a progress report with its results", tag: "year",
                description: "For the unit's officer, or staff and administrators over it, once the registration is accepted. Photos and PDFs are attached on the model's page.",
                parameters: params, body: .ref("ProgressInput"), status: "201", ok: .ref("ModelYear"))),
            APIRoute.verify.template: .init(put: write(
                .verify, "Record (or replace) the caller's federation's verification", tag: "year",
                description: judge + " `met` answers the campaign's criteria (`criteria` of the model's year), in order.",
                parameters: params, body: .ref("VerificationInput"), ok: .ref("ModelYear"))),
            APIRoute.withdrawRecognition.template: .init(
                put: write(.recognise, "The caller's federation recognises the model at its level", tag: "year",
                           description: judge + " Sending it again replaces the decision.",
                           parameters: params, body: .ref("RecognitionInput"), ok: .ref("ModelYear")),
                delete: write(.withdrawRecognition, "Withdraw the caller's federation's recognition", tag: "year",
                              description: "Its nomination upward goes with it; the model leaves the library when no recognition is left. 409 when there is none.",
                              parameters: params, ok: .ref("ModelYear"), invalid: false)),
            APIRoute.withdrawNomination.template: .init(
                put: write(.nominate, "Propose the model to the caller's federation's parent for recognition at its level", tag: "year",
                           description: "Only for a model the caller's federation has recognised (409 otherwise, and when already proposed). The body, when sent, gives the proposal's own document number and day, printed on the proposal list.",
                           parameters: params, body: .ref("NominationInput"), bodyRequired: false, ok: .ref("ModelYear")),
                delete: write(.withdrawNomination, "Withdraw the proposal", tag: "year",
                              parameters: params, ok: .ref("ModelYear"), invalid: false)),
            APIRoute.commend.template: .init(post: write(
                .commend, "Record a commendation (Giấy khen, Bằng khen) of the caller's federation", tag: "year",
                description: judge + " One of each form per federation (409 for a second).",
                parameters: params, body: .ref("CommendationInput"), status: "201", ok: .ref("ModelYear"))),
            APIRoute.publish.template: .init(put: write(
                .publish, "Publish the model in the public library, or take it out", tag: "year",
                description: "For staff and administrators of a federation that recognised the model.",
                parameters: params, body: .ref("PublicationInput"), ok: .ref("ModelYear"), invalid: false)),
            APIRoute.listNominations.template: .init(get: read(
                .listNominations, "The models proposed to the caller's federation, not yet recognised by it", tag: "year",
                parameters: [campaignParameter], ok: .array(.ref("Nomination")))),
            APIRoute.searchLibrary.template: .init(get: .init(
                operationId: APIRoute.searchLibrary.rawValue, summary: "Search the public library of exemplary models (no credential)", description: """
                    Only published models, newest first, 20 a page. `q` matches the start of words of the title, the registrant, the unit, \
                    the sector and the content, whatever the case, diacritics or tone placement (“thuy” finds “Thủy” and “Thuỷ”).
                    """,
                tags: ["library"],
                parameters: [
                    .init(name: "q", in: .query, required: false, description: "Words to find", schema: .string()),
                    .init(name: "year", in: .query, required: false, description: "The campaign's year", schema: .string(pattern: "^[0-9]{0,5}$")),
                    .init(name: "sector", in: .query, required: false, description: "A sector's code, e.g. `kinh-te`", schema: .string()),
                    .init(name: "level", in: .query, required: false,
                          description: "The depth in the union tree (0 at the top) of the highest federation that recognised the model",
                          schema: .string(pattern: "^[0-9]{0,5}$")),
                    .init(name: "federation", in: .query, required: false, description: "A federation's code: models of units below it", schema: .string()),
                    .init(name: "page", in: .query, required: false, description: "From 1 to 50 (the 1,000 newest models that match)", schema: .string(pattern: "^([1-9]|[1-4][0-9]|50)?$")),
                ],
                responses: ["200": .init(description: "OK", content: content(.ref("LibraryPage"))),
                            "400": error("A number parameter that is not a number (code `bad_request`)"),
                            "default": error("Any other error")],
                security: [])),
            APIRoute.getLibraryModel.template: .init(get: .init(
                operationId: APIRoute.getLibraryModel.rawValue, summary: "One published model (no credential)",
                description: "404 for a model that is not published, whether it exists or not.", tags: ["library"],
                parameters: [.init(name: "id", in: .path, required: true, description: "The initiative's id", schema: .string(format: "uuid"))],
                responses: ["200": .init(description: "OK", content: content(.ref("LibraryEntry"))),
                            "404": error("Not published, or unknown (code `not_found`)"),
                            "default": error("Any other error")],
                security: [])),
        ]
    }

    static var yearSchemas: [String: Schema] {
        let decisionDay = Schema.string("The decision's day, `YYYY-MM-DD` (or `dd/mm/yyyy` in a request)")
        let name = Schema.string("A unit's name")
        return [
            "NamedUnit": .object(nil, [required("code", .string()), required("name", .string())]),
            "Recognition": .object(nil, [
                required("by", .ref("NamedUnit")), required("decisionNumber", .string()), required("decisionDate", day),
                required("exemplary", .boolean("Recognised as “tiêu biểu”")),
            ]),
            "ModelYear": .object(nil, [
                required("id", .string(format: "uuid")), required("title", .string()), required("unit", .string("The unit's code")),
                required("sector", .string("The sector's code")), required("status", .ref("SubmissionStatus")),
                required("published", .boolean("In the public library")),
                required("criteria", .array(.string(), "What a verification checks, in order")),
                required("progress", .array(.object(nil, [
                    required("id", .string(format: "uuid")), required("date", day), required("text", .string()),
                    required("participants", .integer(minimum: 0)), required("beneficiaries", .integer(minimum: 0)),
                    required("money", .integer("Money mobilised, in đồng", minimum: 0)), required("workdays", .integer(minimum: 0)),
                    required("author", .string()),
                    required("files", .array(.object(nil, [
                        required("id", .string(format: "uuid")), required("name", .string()), required("contentType", .string()),
                        required("size", .integer(minimum: 0)), required("public", .boolean("May be shown in the library")),
                        required("caption", .string("What the file shows; empty when none was written")),
                    ]))),
                ]), "Oldest first")),
                required("verifications", .array(.object(nil, [
                    required("by", name), required("date", day), required("verdict", .string(values: Verdict.allCases.map(\.rawValue))),
                    required("reason", .string("Why the verdict differs from the criteria; empty when it follows them")),
                    required("comments", .string()),
                    required("checks", .array(.object(nil, [required("criterion", .string()), required("met", .boolean())]))),
                    required("author", .string()),
                ]))),
                required("recognitions", .array(.ref("Recognition"), "Highest level first")),
                required("nominations", .array(.object(nil, [required("from", name), required("to", name), required("at", instant),
                                                             required("documentNumber", .string("The proposal's number; empty when none was given")),
                                                             required("documentDate", .string("Its day, `YYYY-MM-DD`; empty when none was given"))]))),
                required("commendations", .array(.ref("Commendation"))),
                required("lineage", .array(.ref("Lineage"), "The models it continues and those continuing it")),
                required("canReport", .boolean("The caller may add a progress report now")),
                required("canJudge", .boolean("The caller may verify, recognise and commend now")),
            ]),
            "Commendation": .object(nil, [
                required("by", name), required("form", .string(values: CommendationForm.allCases.map(\.rawValue))),
                required("decisionNumber", .string()), required("decisionDate", day),
            ]),
            "Lineage": .object(nil, [
                required("id", .string(format: "uuid")), required("year", .integer()), required("campaign", .string()),
                required("unit", .string()), required("title", .string()), required("published", .boolean()),
                required("earlier", .boolean("It comes before this model (this one continues it)")),
            ]),
            "ProgressInput": .object(nil, [
                required("date", .string("The report's day, `YYYY-MM-DD` or `dd/mm/yyyy`")),
                required("text", TextRules.progressText.schema("What was done and what it changed")),
                optional("participants", .nullable(.integer(minimum: 0))), optional("beneficiaries", .nullable(.integer(minimum: 0))),
                optional("money", .nullable(.integer("In đồng", minimum: 0))), optional("workdays", .nullable(.integer(minimum: 0))),
            ]),
            "VerificationInput": .object(nil, [
                required("date", .string("The visit's day, `YYYY-MM-DD` or `dd/mm/yyyy`")),
                required("met", .array(.boolean(), "One answer per criterion of the campaign, in order")),
                optional("comments", .nullable(TextRules.verificationComment.schema(nil))),
                optional("verdict", .nullable(.string("Left out: what the criteria give (passed when every one is met). One that differs needs `reason`.",
                                                      values: Verdict.allCases.map(\.rawValue)))),
                optional("reason", .nullable(VerificationInput.overrideRule.schema("Why the verdict differs from the criteria"))),
            ]),
            "NominationInput": .object(nil, [
                optional("documentNumber", .nullable(TextRules.decisionNumber.schema("The proposal's number, e.g. “05/TTr-CĐN”; with `documentDate`"))),
                optional("documentDate", .nullable(.string("The proposal's day, `YYYY-MM-DD` or `dd/mm/yyyy`; with `documentNumber`"))),
            ]),
            "RecognitionInput": .object(nil, [
                required("decisionNumber", TextRules.decisionNumber.schema("e.g. “12/QĐ-LĐLĐ”")),
                required("decisionDate", decisionDay),
                optional("exemplary", .nullable(.boolean("“Tiêu biểu”; false when left out"))),
            ]),
            "CommendationInput": .object(nil, [
                required("form", .string("`giay_khen` (Giấy khen) or `bang_khen` (Bằng khen)", values: CommendationForm.allCases.map(\.rawValue))),
                required("decisionNumber", TextRules.decisionNumber.schema(nil)), required("decisionDate", decisionDay),
            ]),
            "PublicationInput": .object(nil, [required("published", .boolean())]),
            "Nomination": .object(nil, [
                required("initiative", .string(format: "uuid")), required("title", .string()),
                required("unit", .ref("NamedUnit")), required("from", .ref("NamedUnit")), required("at", instant),
            ]),
            "LibraryItem": .object(nil, [
                required("id", .string("The initiative's id", format: "uuid")), required("title", .string()), required("year", .integer()),
                required("campaign", .string("The campaign's code")), required("sector", .string("The sector's code")),
                required("sectorName", .string()), required("registrantKind", .ref("RegistrantKind")), required("registrantName", .string()),
                required("unit", .ref("NamedUnit")), required("exemplary", .boolean()), required("publishedAt", instant),
                required("recognitions", .array(.ref("Recognition"), "Highest level first")),
            ]),
            "LibraryPage": .object(nil, [
                required("total", .integer("The published models that match, counted up to 1,000", minimum: 0, maximum: Library.countLimit)),
                required("more", .boolean("More than `total` match: the count stopped at 1,000")), required("page", .integer(minimum: 1, maximum: Library.maxPage)),
                required("perPage", .integer(minimum: 1)), required("items", .array(.ref("LibraryItem"))),
            ]),
            "LibraryEntry": .object("A published model: no contact data", [
                required("item", .ref("LibraryItem")), required("purpose", .string()), required("content", .string()),
                required("scope", .string()), required("expectedResult", .string()),
                required("results", .object("Summed over its progress reports", [
                    required("participants", .integer(minimum: 0)), required("beneficiaries", .integer(minimum: 0)),
                    required("money", .integer("In đồng", minimum: 0)), required("workdays", .integer(minimum: 0)),
                ])),
                required("progress", .array(.object(nil, [required("date", day), required("text", .string())]))),
                required("commendations", .array(.ref("Commendation"))),
                required("files", .array(.object("A published photo or PDF", [
                    required("name", .string()), required("contentType", .string()), required("url", .string("A path on this server")),
                    required("caption", .string("What the photo shows; empty when none was written")),
                ]))),
                required("lineage", .array(.ref("Lineage"), "Published models of its lineage only")),
            ]),
        ]
    }
}

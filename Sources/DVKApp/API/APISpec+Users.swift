import DVKCore
import Foundation

extension APISpec {
    static let userIDParameter = OpenAPI.Parameter(name: "id", in: .path, required: true, description: "The account's id",
                                                   schema: .string(format: "uuid"))

    static var userPaths: [String: OpenAPI.PathItem] {
        let who = "For federation staff (accounts of their subtree) and administrators (every account); officers and viewers get 403."
        return [
            APIRoute.listUsers.template: .init(
                get: read(.listUsers, "The accounts in the caller's reach, by unit then name (at most 1,000)", tag: "users", description: who,
                          parameters: [
                            .init(name: "unit", in: .query, required: false, description: "A unit's code: its accounts and those below it", schema: .string()),
                            .init(name: "status", in: .query, required: false, description: "Only accounts in this state",
                                  schema: values(AccountStatus.allCases, "`invited`, `active`, `disabled`, `invitation_expired`")),
                            .init(name: "role", in: .query, required: false, description: "Only accounts of this role", schema: .ref("Role")),
                            .init(name: "q", in: .query, required: false, description: "Words of the name, username, email or unit, with or without diacritics",
                                  schema: .string()),
                          ], ok: .array(.ref("User")), notFound: false, refusals: true),
                post: write(.createUser, "Invite a person: an account without a password, and its one-time link", tag: "users",
                            description: who + " Nobody gives a role or a unit above their own: staff make officers and viewers in their subtree and staff only for federations strictly below them (403 otherwise). The link is mailed when the person has an email and DVK sends mail; otherwise it is in `invitationLink`, this once. 409 when the username or email is taken.",
                            parameters: [], body: .ref("NewUser"), status: "201", ok: .ref("User"),
                            headers: ["Location": .init(description: "The account's URL", schema: .string())])),
            APIRoute.getUser.template: .init(
                get: read(.getUser, "One account of the caller's reach", tag: "users", description: who, parameters: [userIDParameter], ok: .ref("User"),
                          refusals: true),
                patch: write(.updateUser, "Disable or enable an account, or change its role, unit, name or contacts", tag: "users",
                             description: who + " Within the same rule as making it, for the account as it is and as it becomes. A disabled account's sessions and tokens stop at once.",
                             parameters: [userIDParameter], body: .ref("UserChange"), ok: .ref("User"))),
            APIRoute.resendInvitation.template: .init(
                post: write(.resendInvitation, "Invite again: a new link, the old one dead", tag: "users",
                            description: who + " 409 for an account that has set its password or is disabled.",
                            parameters: [userIDParameter], ok: .ref("User"), invalid: false)),
        ]
    }

    static let unitCode = Schema.string("The unit's code", pattern: "^[A-Za-z0-9._-]+$").length(min: 1, max: 64)

    static var userSchemas: [String: Schema] {
        [
            "User": .object("An account (never its password, tokens or two-factor secret)", [
                required("id", .string(format: "uuid")), required("username", .string()), required("fullName", .string()),
                required("role", .ref("Role")), required("unit", .ref("UnitRef")), required("email", .string()), required("phone", .string()),
                required("title", .string("Chức vụ")),
                required("status", values(AccountStatus.allCases, "`invited`, `active`, `disabled`, `invitation_expired`")),
                required("lastSignIn", .nullable(instant)), required("signIns", .integer(minimum: 0)), required("twoFactor", .boolean()),
                optional("invitationLink", .string("The invitation's one-time link: only in the answer that made it, when it is not mailed")),
            ]),
            "NewUser": .object(nil, [
                required("fullName", AccountInput.nameRule.schema(nil)), required("unit", unitCode),
                required("role", .ref("Role")), required("email", TextRules.email.schema("Where the invitation goes; empty: it is handed over")),
                optional("phone", TextRules.phone.schema(nil)), optional("title", AccountInput.titleRule.schema("Chức vụ")),
                optional("username", .string("Letters without diacritics, digits, - _ .; by default from the email, or the unit's code",
                                             pattern: "^[A-Za-z0-9._-]*$").length(max: 64)),
            ]),
            "UserChange": .object("Only the keys sent change", [
                optional("status", .string("`active` or `disabled`", values: ["active", "disabled"])), optional("role", .ref("Role")),
                optional("unit", unitCode), optional("fullName", AccountInput.nameRule.schema(nil)),
                optional("email", TextRules.email.schema(nil)), optional("phone", TextRules.phone.schema(nil)),
                optional("title", AccountInput.titleRule.schema(nil)),
            ]),
        ]
    }
}

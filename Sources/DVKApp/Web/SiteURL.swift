import DVKCore
import DVKDocuments
import Foundation
import RoutingKit

/// Every page and form target of the web app. Views link only to these (see `Link`), and
/// controllers register their routes from the same values (`route`), so a link and its
/// route cannot drift apart.
enum SiteURL: Sendable, Equatable {
    case home
    case login
    case logout
    case styles
    case script
    case account
    case password
    case signOutEverywhere
    case tokens
    case tokenRevoke(UUID)
    case accountMail
    case campaigns
    case campaignNew
    case campaignPreview
    case campaign(String)
    case campaignEdit(String)
    case campaignState(String)
    case campaignSync(String)
    case queue(String)
    case reminders(String)
    case remindersCSV(String)
    case remindersXLSX(String)
    case unitsTable(String)
    case remindersSend(String)
    /// A federation's "Đánh giá chung" and "Đề xuất, kiến nghị" of one of its reports.
    case reportNotes(campaign: String, kind: ReportNotes.Kind)
    case mail(String)
    case mailResend(String, UUID)
    case unitPage(campaign: String, unit: String)
    case initiativeNew(campaign: String, unit: String)
    case initiativeEdit(campaign: String, unit: String, id: UUID)
    case initiativeDelete(campaign: String, unit: String, id: UUID)
    case submit(campaign: String, unit: String)
    case declare(campaign: String, unit: String)
    case review(campaign: String, unit: String)
    case extend(campaign: String, unit: String)
    case upload(campaign: String, unit: String)
    case uploadTemplate(campaign: String, unit: String, format: TemplateFormat)
    case document(campaign: String, unit: String, kind: CampaignDocuments.Kind, format: DocumentFormat)
    case initiativeForm(campaign: String, unit: String, id: UUID, format: DocumentFormat)
    case year(String)
    case yearTable(String)
    case yearDocument(campaign: String, kind: YearPapers.Kind, format: DocumentFormat)
    case model(campaign: String, unit: String, id: UUID)
    case modelStep(campaign: String, unit: String, id: UUID, step: YearFormStep)
    case modelFile(campaign: String, unit: String, id: UUID, file: UUID)
    case library
    case libraryEntry(UUID)
    case libraryFile(UUID, UUID)
    case libraryFeed
    case libraryReplicate(UUID)
    case units
    case unit(String)
    case unitNew
    case unitsImport
    case unitAccounts(String)
    case unitEnd(String)
    /// Adds a grassroots union to an open campaign of chosen units: (unit, campaign).
    case unitJoin(String, String)
    // Accounts: the people page, a person, invitations, resets, two-factor.
    case people
    /// The audit trail of the user's subtree, and its export.
    case audit
    case auditXLSX
    case peopleXLSX
    case peopleEvents
    case personNew
    case peopleImport
    case peopleTemplate
    case peopleLetters
    case person(UUID)
    case personEvents(UUID)
    case personAction(UUID, PersonAction)
    case invitation(String)
    case passwordReset(String)
    case forgot
    case loginTwoFactor
    case twoFactor
    /// A route of the JSON API, its parameters' values in the order of its path.
    case api(APIRoute, [String] = [])

    /// A piece of a path: a fixed word, or a value the route names as a parameter.
    enum Segment: Sendable, Equatable {
        case word(String)
        case value(name: String, String)
    }

    var segments: [Segment] {
        func c(_ code: String) -> Segment { .value(name: "campaign", code) }
        func u(_ code: String) -> Segment { .value(name: "unit", code) }
        func unit(_ campaign: String, _ unit: String, _ rest: Segment...) -> [Segment] {
            [.word("campaigns"), c(campaign), .word("units"), u(unit)] + rest
        }
        switch self {
        case .home: return []
        case .login: return [.word("login")]
        case .logout: return [.word("logout")]
        case .styles: return [.word("styles.css")]
        case .script: return [.word("app.js")]
        case .account: return [.word("account")]
        case .password: return [.word("account"), .word("password")]
        case .signOutEverywhere: return [.word("account"), .word("sessions"), .word("end")]
        case .tokens: return [.word("account"), .word("tokens")]
        case .tokenRevoke(let id): return [.word("account"), .word("tokens"), .value(name: "id", id.canonicalText), .word("revoke")]
        case .accountMail: return [.word("account"), .word("email")]
        case .campaigns: return [.word("campaigns")]
        case .campaignNew: return [.word("campaigns"), .word("new")]
        case .campaignPreview: return [.word("campaigns"), .word("letter-preview.pdf")]
        case .campaign(let code): return [.word("campaigns"), c(code)]
        case .campaignEdit(let code): return [.word("campaigns"), c(code), .word("edit")]
        case .campaignState(let code): return [.word("campaigns"), c(code), .word("state")]
        case .campaignSync(let code): return [.word("campaigns"), c(code), .word("sync")]
        case .queue(let code): return [.word("campaigns"), c(code), .word("queue")]
        case .reminders(let code): return [.word("campaigns"), c(code), .word("reminders")]
        case .remindersCSV(let code): return [.word("campaigns"), c(code), .word("reminders.csv")]
        case .remindersXLSX(let code): return [.word("campaigns"), c(code), .word("reminders.xlsx")]
        case .unitsTable(let code): return [.word("campaigns"), c(code), .word("units.xlsx")]
        case .remindersSend(let code): return [.word("campaigns"), c(code), .word("reminders"), .word("send")]
        case .reportNotes(let code, let kind): return [.word("campaigns"), c(code), .word("report-notes"), .word(kind.rawValue)]
        case .mail(let code): return [.word("campaigns"), c(code), .word("mail")]
        case .mailResend(let code, let id): return [.word("campaigns"), c(code), .word("mail"), .value(name: "id", id.canonicalText), .word("resend")]
        case .unitPage(let campaign, let code): return unit(campaign, code)
        case .initiativeNew(let campaign, let code): return unit(campaign, code, .word("initiatives"), .word("new"))
        case .initiativeEdit(let campaign, let code, let id):
            return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText), .word("edit"))
        case .initiativeDelete(let campaign, let code, let id):
            return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText), .word("delete"))
        case .submit(let campaign, let code): return unit(campaign, code, .word("submit"))
        case .declare(let campaign, let code): return unit(campaign, code, .word("declare"))
        case .review(let campaign, let code): return unit(campaign, code, .word("review"))
        case .extend(let campaign, let code): return unit(campaign, code, .word("extension"))
        case .upload(let campaign, let code): return unit(campaign, code, .word("import"))
        case .uploadTemplate(let campaign, let code, let format):
            return unit(campaign, code, .word("import"), .value(name: "file", "template." + format.rawValue))
        case .document(let campaign, let code, let kind, let format):
            return unit(campaign, code, .word("documents"), .value(name: "file", kind.rawValue + "." + format.rawValue))
        case .initiativeForm(let campaign, let code, let id, let format):
            return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText), .value(name: "file", "form." + format.rawValue))
        case .year(let code): return [.word("campaigns"), c(code), .word("year")]
        case .yearTable(let code): return [.word("campaigns"), c(code), .word("year.xlsx")]
        case .yearDocument(let code, let kind, let format):
            return [.word("campaigns"), c(code), .word("year"), .word("documents"), .value(name: "file", kind.rawValue + "." + format.rawValue)]
        case .model(let campaign, let code, let id): return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText))
        case .modelStep(let campaign, let code, let id, let step):
            return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText), .word("year"), .word(step.rawValue))
        case .modelFile(let campaign, let code, let id, let file):
            return unit(campaign, code, .word("initiatives"), .value(name: "id", id.canonicalText), .word("files"), .value(name: "fileID", file.canonicalText))
        case .library: return [.word("library")]
        case .libraryEntry(let id): return [.word("library"), .value(name: "id", id.canonicalText)]
        case .libraryFile(let id, let file): return [.word("library"), .value(name: "id", id.canonicalText), .word("files"), .value(name: "fileID", file.canonicalText)]
        case .libraryFeed: return [.word("library"), .word("feed.atom")]
        case .libraryReplicate(let id): return [.word("library"), .value(name: "id", id.canonicalText), .word("replicate")]
        case .units: return [.word("units")]
        case .unit(let code): return [.word("units"), .value(name: "code", code)]
        case .unitNew: return [.word("units"), .word("new")]
        case .unitsImport: return [.word("units"), .word("import")]
        case .unitAccounts(let code): return [.word("units"), .value(name: "code", code), .word("accounts")]
        case .unitEnd(let code): return [.word("units"), .value(name: "code", code), .word("end")]
        case .unitJoin(let code, let campaign): return [.word("units"), .value(name: "code", code), .word("campaigns"), c(campaign), .word("join")]
        case .people: return [.word("users")]
        case .audit: return [.word("audit")]
        case .auditXLSX: return [.word("audit.xlsx")]
        case .peopleXLSX: return [.word("users.xlsx")]
        case .peopleEvents: return [.word("users"), .word("events.xlsx")]
        case .personNew: return [.word("users"), .word("new")]
        case .peopleImport: return [.word("users"), .word("import")]
        case .peopleTemplate: return [.word("users"), .word("import"), .word("template.xlsx")]
        case .peopleLetters: return [.word("users"), .word("letters.pdf")]
        case .person(let id): return [.word("users"), .value(name: "id", id.canonicalText)]
        case .personEvents(let id): return [.word("users"), .value(name: "id", id.canonicalText), .word("events.xlsx")]
        case .personAction(let id, let action): return [.word("users"), .value(name: "id", id.canonicalText), .value(name: "action", action.rawValue)]
        case .invitation(let token): return [.word("invite"), .value(name: "token", token)]
        case .passwordReset(let token): return [.word("reset"), .value(name: "token", token)]
        case .forgot: return [.word("forgot")]
        case .loginTwoFactor: return [.word("login"), .word("two-factor")]
        case .twoFactor: return [.word("account"), .word("two-factor")]
        case .api(let route, let values):
            var next = values.makeIterator()
            return APIRoute.base.split(separator: "/").map { .word(String($0)) } + route.segments.map { segment in
                switch segment {
                case .word(let w): .word(w)
                case .parameter(let p): .value(name: p, next.next() ?? "")
                }
            }
        }
    }

    /// The path, each value percent-encoded.
    var path: String {
        let segments = segments
        guard !segments.isEmpty else { return "/" }
        var path = ""
        path.reserveCapacity(80)
        for segment in segments {
            path += "/"
            switch segment {
            case .word(let word): path += word
            case .value(_, let value): path += Self.encodeSegment(value)
            }
        }
        return path
    }

    /// A path segment percent-encoded, by bytes, as `addingPercentEncoding` with
    /// `segmentAllowed` would.
    static func encodeSegment(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: segmentAllowedBytes)
    }

    private static let segmentAllowedBytes = PercentEncoding.table(segmentAllowed)

    /// The route that answers this page: its words, and a parameter for each value.
    var route: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .word(let word): .constant(word)
            case .value(let name, _): .parameter(name)
            }
        }
    }

    static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
}

/// A file route's value, "name.format": the two halves, typed, or nil when either is not
/// one the route serves (a 404).
enum FileName {
    static func parse<Name: RawRepresentable<String>, Format: RawRepresentable<String>>(_ file: String) -> (Name, Format)? {
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let name = Name(rawValue: parts[0]), let format = Format(rawValue: parts[1]) else { return nil }
        return (name, format)
    }

    /// The format of "name.format" when its name is `name`.
    static func format<Format: RawRepresentable<String>>(of file: String, named name: String) -> Format? {
        file.hasPrefix(name + ".") ? Format(rawValue: String(file.dropFirst(name.count + 1))) : nil
    }
}

/// The upload template's two forms.
enum TemplateFormat: String, CaseIterable, Sendable {
    case xlsx, csv
}

/// The steps of a model's year as the page posts them: each its own route and handler.
enum YearFormStep: String, CaseIterable, Sendable {
    case progress, verification, recognition, recognitionWithdraw = "recognition-withdraw"
    case nomination, nominationWithdraw = "nomination-withdraw"
    case commendation, commendationWithdraw = "commendation-withdraw", publication
    case caption

    /// What the step needs the user to be allowed (`ModelYear.check`).
    var requires: ModelYear.Step {
        switch self {
        case .progress, .caption: .report
        case .verification: .verify
        case .recognition, .recognitionWithdraw: .recognise
        case .nomination, .nominationWithdraw: .nominate
        case .commendation, .commendationWithdraw: .commend
        case .publication: .publish
        }
    }
}

/// What staff do to one account from its page (`SiteURL.personAction`).
enum PersonAction: String, Sendable, CaseIterable {
    case update, disable, enable, invite, revoke, reset, letter
    case resetTwoFactor = "two-factor-reset"
}

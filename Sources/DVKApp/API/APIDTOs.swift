import DVKCore
import FluentKit
import Foundation
import Vapor

// The bodies of /api/v1: Sendable values built from the stores' results, never Fluent
// models. Instants are ISO 8601 strings in Vietnam time ("2024-02-16T00:00:00+07:00"),
// days are "YYYY-MM-DD". `APISpec` documents every one of them; a test checks each
// response against that document.

/// An optional that is written as `null` rather than left out, so every documented key
/// is always present in a response.
@propertyWrapper
struct ExplicitNull<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil, as it would for a plain optional.
    func decode<Value>(_ type: ExplicitNull<Value>.Type, forKey key: Key) throws -> ExplicitNull<Value> {
        try decodeIfPresent(type, forKey: key) ?? ExplicitNull(wrappedValue: nil)
    }
}

/// A unit named in another body: code, name, kind.
struct APIUnitRef: Content, Equatable {
    var code: String
    var name: String
    var kind: UnitKind
}

/// `GET /api/v1/me`
struct APIMe: Content {
    var username: String
    var displayName: String
    var role: Role
    var unit: APIUnitRef

    init(_ user: CurrentUser) {
        username = user.username
        displayName = user.displayName
        role = user.role
        unit = APIUnitRef(code: user.unitCode, name: user.unitName, kind: user.unitKind)
    }
}

/// One unit of `GET /api/v1/units`: the caller's subtree in pre-order (children by code).
struct APIUnitListItem: Content {
    var code: String
    var name: String
    var kind: UnitKind
    /// Nil for the caller's own unit: what is above it is out of reach.
    @ExplicitNull var parent: String?
    /// 0 for the caller's own unit, 1 for its children…
    var depth: Int
}

/// `GET /api/v1/units/{unit}`
struct APIUnit: Content {
    var code: String
    var name: String
    var kind: UnitKind
    @ExplicitNull var parent: String?
    var email: String
    var phone: String
    var children: [APIUnitRef]
}

struct APISector: Content, Equatable {
    var code: String
    var name: String
}

/// `GET /api/v1/campaigns/{campaign}`, and each item of `GET /api/v1/campaigns`.
struct APICampaign: Content {
    var code: String
    var year: Int
    var title: String
    var number: String
    var issuedOn: String
    var state: CampaignState
    var deadline: String
    var acceptsLate: Bool
    var issuer: APIUnitRef
    var sectors: [APISector]
    var signer: APISigner
    /// The topmost unit of the campaign the caller sees; everything they reach is under it.
    var scope: APIUnitRef
    /// The caller runs the campaign (staff or administrator over its whole tree).
    var canRun: Bool

    init(_ view: Access.CampaignView, issuer: SnapshotUnit) {
        let c = view.campaign
        code = c.code
        year = c.year
        title = c.title
        number = c.number
        issuedOn = c.issuedOn.iso
        state = c.state
        deadline = VietnamTime.iso(c.deadline)
        acceptsLate = c.acceptsLate
        self.issuer = APIUnitRef(code: issuer.code, name: c.issuerName, kind: issuer.kind)
        sectors = c.sectors.map { APISector(code: $0.code, name: $0.name) }
        signer = APISigner(authority: c.signer.authority, title: c.signer.title, name: c.signer.name)
        scope = APIUnitRef(code: view.scope.code, name: view.scope.name, kind: view.scope.kind)
        canRun = view.canRun
    }
}

/// Who signs the campaign's documents: "TM. BAN THƯỜNG VỤ" / "PHÓ CHỦ TỊCH" / the name.
struct APISigner: Content {
    var authority: String
    var title: String
    var name: String
}

/// One target unit of `GET /api/v1/campaigns/{campaign}/units`: where it stands.
struct APISubmissionRow: Content {
    var code: String
    var name: String
    @ExplicitNull var parent: String?
    var status: SubmissionStatus
    var noModel: Bool
    @ExplicitNull var submittedAt: String?
    var late: Bool
}

/// One step of a submission's history.
struct APIEvent: Content {
    var at: String
    var actor: String
    var action: SubmissionAction
    var from: SubmissionStatus
    var to: SubmissionStatus
    var note: String
}

/// `GET /api/v1/campaigns/{campaign}/units/{unit}`: a unit's submission, its deadline,
/// what the caller may do with it, and every change so far.
struct APISubmission: Content {
    var campaign: String
    var unit: APIUnitRef
    /// Only target units register; for others the status stays `not_started`.
    var isTarget: Bool
    var status: SubmissionStatus
    var noModel: Bool
    var initiatives: Int
    /// The unit's deadline: the campaign's, or the extension granted to the unit.
    var deadline: String
    @ExplicitNull var submittedAt: String?
    var late: Bool
    @ExplicitNull var returnReason: String?
    var canRegister: Bool
    var canReview: Bool
    var history: [APIEvent]
}

/// An initiative as the API returns it.
struct APIInitiative: Content {
    var id: UUID
    var unit: String
    var kind: RegistrantKind
    var registrantName: String
    var registrantTitle: String
    var sector: String
    var title: String
    var purpose: String
    var content: String
    var scope: String
    @ExplicitNull var startDate: String?
    @ExplicitNull var endDate: String?
    var expectedResult: String
    var personInCharge: String
    var continuity: Continuity
    @ExplicitNull var createdAt: String?
    @ExplicitNull var updatedAt: String?

    init(_ i: Initiative, registrant: Registrant, unitCode: String) throws {
        id = try i.requireID()
        unit = unitCode
        kind = registrant.kind
        registrantName = registrant.name
        registrantTitle = registrant.title
        sector = i.sectorCode
        title = i.title
        purpose = i.purpose
        content = i.content
        scope = i.scope
        startDate = i.startDate
        endDate = i.endDate
        expectedResult = i.expectedResult
        personInCharge = i.personInCharge
        continuity = i.continuity
        createdAt = i.createdAt.map(VietnamTime.iso)
        updatedAt = i.updatedAt.map(VietnamTime.iso)
    }
}

/// The body of `POST …/initiatives` and `PUT …/initiatives/{id}` (a PUT replaces every
/// field; a field left out is empty). Everything is optional here so that a missing or
/// wrong value is answered 422 with every problem named, not 400 for the first one.
struct APIInitiativeInput: Content {
    var kind: String?
    var registrantName: String?
    var registrantTitle: String?
    var sector: String?
    var title: String?
    var purpose: String?
    var content: String?
    var scope: String?
    var startDate: String?
    var endDate: String?
    var expectedResult: String?
    var personInCharge: String?
    var continuity: String?

    /// The draft, or `DomainError.invalid` listing every problem in Vietnamese.
    func draft(sectors: [Sector]) throws -> InitiativeDraft {
        var problems: [String] = []
        let kindValue = kind.flatMap { RegistrantKind(rawValue: $0) }
        if kindValue == nil {
            problems.append("loại đăng ký (kind) phải là “collective” (tập thể) hoặc “individual” (cá nhân)")
        }
        let continuityValue = continuity.map { Continuity(rawValue: $0) } ?? .new
        if continuityValue == nil {
            problems.append("tính kế thừa (continuity) phải là “new” (mô hình mới) hoặc “continues” (duy trì, nhân rộng)")
        }
        func day(_ text: String?, _ label: String) -> CalendarDay? {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let day = CalendarDay(parsing: text) else {
                problems.append("\(label) “\(text)” không phải ngày hợp lệ (YYYY-MM-DD)")
                return nil
            }
            return day
        }
        let draft = InitiativeDraft(
            kind: kindValue ?? .collective, registrantName: registrantName ?? "", registrantTitle: registrantTitle ?? "",
            sectorCode: sector ?? "", title: title ?? "", purpose: purpose ?? "", content: content ?? "", scope: scope ?? "",
            startDate: day(startDate, "ngày bắt đầu"), endDate: day(endDate, "ngày kết thúc"),
            expectedResult: expectedResult ?? "", personInCharge: personInCharge ?? "",
            continuity: continuityValue ?? .new)
        problems += draft.problems(sectors: sectors)
        guard problems.isEmpty else {
            throw DomainError.invalid("Chưa lưu được mô hình: " + problems.joined(separator: "; ") + ".")
        }
        return draft
    }
}

/// The body of `POST …/return`.
struct APIReturnInput: Content {
    var reason: String?
}

/// The summary is the CLI's JSON, unchanged.
extension SummaryDTO: Content {}

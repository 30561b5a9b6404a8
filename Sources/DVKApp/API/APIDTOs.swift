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
    /// When the unit was dissolved or merged (Vietnam time), and the unit it merged into.
    @ExplicitNull var endedAt: String?
    @ExplicitNull var mergedInto: String?
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
    var phase: Standing.Phase
    var noModel: Bool
    /// All its initiatives, counted or not (a returned unit's are still there).
    var initiatives: Int
    var deadline: String
    @ExplicitNull var firstSubmittedAt: String?
    @ExplicitNull var submittedAt: String?
    var late: Bool
    var resubmittedLate: Bool

    init(_ line: Standings.Line, parentInScope: Bool) {
        let s = line.standing
        code = line.code
        name = line.name
        parent = parentInScope ? line.parentCode : nil
        status = s.status
        phase = s.phase
        noModel = s.noModel
        initiatives = line.initiatives
        deadline = VietnamTime.iso(s.deadline)
        firstSubmittedAt = s.firstSubmittedAt.map(VietnamTime.iso)
        submittedAt = s.lastSubmittedAt.map(VietnamTime.iso)
        late = s.isLate
        resubmittedLate = s.isResubmittedLate
    }
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
    @ExplicitNull var extendedUntil: String?
    var phase: Standing.Phase
    @ExplicitNull var firstSubmittedAt: String?
    @ExplicitNull var submittedAt: String?
    /// The first submission came at or after the deadline (a return never changes it).
    var late: Bool
    @ExplicitNull var resubmitBy: String?
    var resubmittedLate: Bool
    @ExplicitNull var returnReason: String?
    /// Sent back as `If-Match` makes a step refuse (409) if anything changed since.
    var version: Int
    var canRegister: Bool
    var canSubmitNow: Bool
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
    /// The earlier model it continues (an initiative of the unit in another campaign).
    @ExplicitNull var continues: UUID?
    /// The reviewer's comment on it when the submission was returned.
    var reviewComment: String
    @ExplicitNull var createdAt: String?
    @ExplicitNull var updatedAt: String?

    /// As just written by `RegistrationStore.save`.
    init(_ d: InitiativeDraft, saved: RegistrationStore.Saved, unitCode: String) {
        id = saved.id
        unit = unitCode
        kind = d.kind
        registrantName = saved.registrantName
        registrantTitle = saved.registrantTitle
        sector = d.sectorCode
        title = d.title
        purpose = d.purpose
        content = d.content
        scope = d.scope
        startDate = d.startDate?.iso
        endDate = d.endDate?.iso
        expectedResult = d.expectedResult
        personInCharge = d.personInCharge
        continuity = d.continuity
        continues = saved.continuesID
        reviewComment = ""
        createdAt = VietnamTime.iso(saved.createdAt)
        updatedAt = VietnamTime.iso(saved.updatedAt)
    }

    init(_ i: some InitiativeFields, registrant: some RegistrantFields, unitCode: String) throws {
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
        continues = i.continuesID
        reviewComment = i.reviewComment
        createdAt = i.createdAt.map(VietnamTime.iso)
        updatedAt = i.updatedAt.map(VietnamTime.iso)
    }
}

/// The body of `POST …/initiatives` and `PUT …/initiatives/{id}` (a PUT replaces every
/// field; a field left out, or null, is empty). Everything is optional here so that a
/// missing or wrong value is answered 422 with every problem named, not 400 for the first
/// one; the values are checked by `InitiativeInput`, as the form's and a file's are.
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
    /// The earlier model it continues; left out on a PUT, the link it had is kept.
    var continues: UUID?

    var input: InitiativeInput {
        InitiativeInput([
            .kind: kind, .registrantName: registrantName, .registrantTitle: registrantTitle, .sector: sector, .title: title,
            .purpose: purpose, .content: content, .scope: scope, .startDate: startDate, .endDate: endDate,
            .expectedResult: expectedResult, .personInCharge: personInCharge, .continuity: continuity,
        ].compactMapValues { $0 })
    }

    /// The draft, or `DomainError.invalid` naming every problem and its JSON field.
    func draft(sectors: [Sector]) throws -> InitiativeDraft {
        try input.draft(sectors: sectors).mapError { problems in
            DomainError.invalid("Chưa lưu được mô hình: " + problems.sentence(naming: { $0.rawValue }) + ".")
        }.get()
    }
}

/// The body of `POST …/return`.
struct APIReturnInput: Content {
    var reason: String?
    /// The day by which the unit should send it again (`YYYY-MM-DD`, Vietnam time: before
    /// 00:00 of the next day).
    var resubmitBy: String?
    /// Comments on initiatives, by id.
    var comments: [String: String]?
}

/// The body of `POST …/extension`.
struct APIExtensionInput: Content {
    /// The unit's new deadline (an instant; a day alone means 00:00 of that day), or null
    /// to take the extension back. Required: a body without it says neither.
    var until: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.until) else {
            throw DecodingError.keyNotFound(CodingKeys.until, .init(codingPath: [], debugDescription: "until is required: an instant, or null to take the extension back"))
        }
        until = try c.decodeNil(forKey: .until) ? nil : c.decode(String.self, forKey: .until)
    }
}

/// The summary is the CLI's JSON, unchanged.
extension SummaryDTO: Content {}

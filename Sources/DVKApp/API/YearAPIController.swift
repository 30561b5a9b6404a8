import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The year of a model over the API: progress reports, verification, recognition,
/// nomination upward, commendation and publication (same people and rules as the pages:
/// `ModelYear` decides), the nominations waiting for the caller's federation, and the
/// public library, which needs no sign-in.
struct YearAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.getModelYear, use: show)
        routes.on(.reportProgress, use: report)
        routes.on(.verify, use: verify)
        routes.on(.recognise, use: recognise)
        routes.on(.withdrawRecognition, use: withdrawRecognition)
        routes.on(.nominate, use: nominate)
        routes.on(.withdrawNomination, use: withdrawNomination)
        routes.on(.commend, use: commend)
        routes.on(.publish, use: publish)
        routes.on(.listNominations, use: nominations)
    }

    /// The public library's routes: no credential needed, nothing unpublished reachable.
    static func bootPublic(_ v1: any RoutesBuilder) {
        let v1 = v1.loopGrouped(AnonymousRateLimitMiddleware())
        v1.on(.searchLibrary, use: library)
        v1.on(.getLibraryModel, use: libraryEntry)
    }

    func model(_ req: Request) async throws -> YearModel {
        let scope = try await req.apiCampaignUnit()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw YearStore.notFound() }
        return try await YearStore.load(view: scope.view, unit: scope.unit, id: id, on: req.database)
    }

    func answer(_ req: Request, _ m: YearModel, status: HTTPResponseStatus = .ok) async throws -> Response {
        let fresh = try await YearStore.load(view: m.view, unit: m.unit, id: m.model.id, on: req.database)
        return try await APIModelYear(fresh, try await YearStore.record(fresh, on: req.database)).encodeResponse(status: status, for: req)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await answer(req, try await model(req))
    }

    @Sendable func report(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.report)
        let body = try req.decodeJSON(APIProgressInput.self)
        let input = try ProgressInput.check(day: body.date, text: body.text, participants: body.participants.map(String.init),
                                            beneficiaries: body.beneficiaries.map(String.init), money: body.money.map(String.init),
                                            workdays: body.workdays.map(String.init))
            .mapError { DomainError.invalid($0.text) }.get()
        _ = try await YearStore.report(m, input, files: [], at: req.now, on: req.database)
        return try await answer(req, m, status: .created)
    }

    @Sendable func verify(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.verify)
        let body = try req.decodeJSON(APIVerificationInput.self)
        let input = try VerificationInput.check(day: body.date, met: body.met, criteria: m.campaign.criteria.count,
                                                comments: body.comments, verdict: body.verdict, reason: body.reason)
            .mapError { DomainError.invalid($0.text) }.get()
        try await YearStore.verify(m, input, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    @Sendable func recognise(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.recognise)
        let body = try req.decodeJSON(APIRecognitionInput.self)
        let decision = try DecisionInput.check(number: body.decisionNumber, day: body.decisionDate).mapError { DomainError.invalid($0.text) }.get()
        try await YearStore.recognise(m, decision, exemplary: body.exemplary ?? false, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    @Sendable func withdrawRecognition(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.recognise)
        try await YearStore.withdrawRecognition(m, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.nominate)
        let body = try req.decodeJSON(APINominationInput.self, emptyAs: APINominationInput())
        var document: DecisionInput?
        if body.documentNumber != nil || body.documentDate != nil {
            document = try DecisionInput.check(number: body.documentNumber, day: body.documentDate).mapError { DomainError.invalid($0.text) }.get()
        }
        try await YearStore.nominate(m, document: document, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    @Sendable func withdrawNomination(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.nominate)
        try await YearStore.withdrawNomination(m, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    @Sendable func commend(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.commend)
        let body = try req.decodeJSON(APICommendationInput.self)
        guard let form = CommendationForm(rawValue: body.form) else {
            throw DomainError.invalid("Hình thức khen thưởng (form) phải là “giay_khen” (Giấy khen) hoặc “bang_khen” (Bằng khen).")
        }
        let decision = try DecisionInput.check(number: body.decisionNumber, day: body.decisionDate).mapError { DomainError.invalid($0.text) }.get()
        try await YearStore.commend(m, form: form, decision, at: req.now, on: req.database)
        return try await answer(req, m, status: .created)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let m = try await model(req)
        try m.require(.publish)
        let body = try req.decodeJSON(APIPublicationInput.self)
        try await YearStore.publish(m, body.published, at: req.now, on: req.database)
        return try await answer(req, m)
    }

    /// The models proposed to the caller's federation by the federations below it, waiting
    /// for its recognition.
    @Sendable func nominations(req: Request) async throws -> [APINomination] {
        let view = try await req.apiCampaign()
        return try await YearQueue.nominations(view, on: req.database).map(APINomination.init)
    }

    @Sendable static func library(req: Request) async throws -> APILibraryPage {
        let filter = try libraryFilter(req)
        return APILibraryPage(try await Library.search(filter, on: req.database))
    }

    @Sendable static func libraryEntry(req: Request) async throws -> APILibraryEntry {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Library.notFound }
        return APILibraryEntry(try await Library.entry(id, on: req.database))
    }

    /// The library's filter from the query string; a malformed number is a 400.
    static func libraryFilter(_ req: Request) throws -> Library.Filter {
        func number(_ key: String) throws -> Int? {
            guard let raw = req.queryValue(key), !raw.isEmpty else { return nil }
            guard let n = Int(raw), n >= 0, n < 100_000 else { throw WebError.badRequest("Tham số “\(key)” phải là số tự nhiên.") }
            return n
        }
        var filter = Library.Filter()
        filter.query = String((req.queryValue("q") ?? "").prefix(200))
        filter.year = try number("year")
        filter.sector = req.queryValue("sector").map { String($0.prefix(100)) }
        filter.level = try number("level")
        filter.federation = req.queryValue("federation").map { String($0.prefix(100)) }
        filter.page = try number("page") ?? 1
        guard filter.page >= 1 else { throw WebError.badRequest("Trang (page) bắt đầu từ 1.") }
        guard filter.page <= Library.maxPage else {
            throw WebError.badRequest("Thư viện cho xem tới trang \(Library.maxPage) (\(Format.number(Library.countLimit)) mô hình mới nhất); vui lòng thu hẹp tìm kiếm.")
        }
        return filter
    }
}

// MARK: Bodies

struct APIProgressInput: Content {
    var date: String
    var text: String
    var participants: Int64?
    var beneficiaries: Int64?
    var money: Int64?
    var workdays: Int64?
}

struct APIVerificationInput: Content {
    var date: String
    var met: [Bool]
    var comments: String?
    var verdict: String?
    var reason: String?
}

struct APINominationInput: Content {
    var documentNumber: String?
    var documentDate: String?
}

struct APIRecognitionInput: Content {
    var decisionNumber: String
    var decisionDate: String
    var exemplary: Bool?
}

struct APICommendationInput: Content {
    var form: String
    var decisionNumber: String
    var decisionDate: String
}

struct APIPublicationInput: Content {
    var published: Bool
}

struct APINamedUnit: Content, Equatable {
    var code: String
    var name: String
}

struct APIRecognition: Content, Equatable {
    var by: APINamedUnit
    var decisionNumber: String
    var decisionDate: String
    var exemplary: Bool

    init(_ r: YearRecord.Recognition) {
        by = .init(code: r.byCode, name: r.byName)
        decisionNumber = r.decisionNumber
        decisionDate = r.decisionDate
        exemplary = r.exemplary
    }
}

struct APIModelYear: Content {
    struct File: Content { var id: UUID; var name: String; var contentType: String; var size: Int; var `public`: Bool; var caption: String }
    struct Progress: Content {
        var id: UUID
        var date: String
        var text: String
        var participants: Int
        var beneficiaries: Int
        var money: Int64
        var workdays: Int
        var author: String
        var files: [File]
    }
    struct Check: Content { var criterion: String; var met: Bool }
    struct Verification: Content { var by: String; var date: String; var verdict: String; var reason: String; var comments: String; var checks: [Check]; var author: String }
    struct Nomination: Content { var from: String; var to: String; var at: String; var documentNumber: String; var documentDate: String }
    struct Commendation: Content { var by: String; var form: String; var decisionNumber: String; var decisionDate: String }
    struct Lineage: Content { var id: UUID; var year: Int; var campaign: String; var unit: String; var title: String; var published: Bool; var earlier: Bool }

    var id: UUID
    var title: String
    var unit: String
    var sector: String
    var status: String
    var published: Bool
    var criteria: [String]
    var progress: [Progress]
    var verifications: [Verification]
    var recognitions: [APIRecognition]
    var nominations: [Nomination]
    var commendations: [Commendation]
    var lineage: [Lineage]
    var canReport: Bool
    var canJudge: Bool

    init(_ m: YearModel, _ r: YearRecord) {
        id = m.model.id
        title = m.model.title
        unit = m.unit.code
        sector = m.model.sectorCode
        status = m.status.rawValue
        published = r.published
        criteria = m.campaign.criteria
        progress = r.reports.map { p in
            Progress(id: p.id, date: p.reportedOn, text: p.body, participants: p.participants, beneficiaries: p.beneficiaries,
                     money: p.money, workdays: p.workdays, author: p.author,
                     files: r.files.filter { $0.reportId == p.id }.map { File(id: $0.id, name: $0.shownName, contentType: $0.contentType, size: $0.size, public: $0.public, caption: $0.caption) })
        }
        verifications = r.verifications.map { v in
            Verification(by: v.byName, date: v.verifiedOn, verdict: v.verdict, reason: v.overrideReason, comments: v.comments,
                         checks: v.checks.map { Check(criterion: $0.criterion, met: $0.met) }, author: v.author)
        }
        recognitions = r.recognitions.map(APIRecognition.init)
        nominations = r.nominations.map { Nomination(from: $0.fromName, to: $0.toName, at: VietnamTime.iso($0.createdAt),
                                                     documentNumber: $0.documentNumber, documentDate: $0.documentDate) }
        commendations = r.commendations.map { Commendation(by: $0.byName, form: $0.form, decisionNumber: $0.decisionNumber, decisionDate: $0.decisionDate) }
        lineage = r.lineage.map { Lineage(id: $0.id, year: $0.year, campaign: $0.campaignCode, unit: $0.unitCode, title: $0.title,
                                          published: $0.published, earlier: $0.earlier) }
        canReport = ModelYear.check(.report, actor: m.actor, status: m.status) == nil
        canJudge = ModelYear.check(.recognise, actor: m.actor, status: m.status) == nil
    }
}

struct APINomination: Content {
    var initiative: UUID
    var title: String
    var unit: APINamedUnit
    var from: APINamedUnit
    var at: String

    init(_ n: YearQueue.Nomination) {
        initiative = n.initiativeId
        title = n.title
        unit = .init(code: n.unitCode, name: n.unitName)
        from = .init(code: n.fromCode, name: n.fromName)
        at = VietnamTime.iso(n.createdAt)
    }
}

struct APILibraryItem: Content {
    var id: UUID
    var title: String
    var year: Int
    var campaign: String
    var sector: String
    var sectorName: String
    var registrantKind: String
    var registrantName: String
    var unit: APINamedUnit
    var exemplary: Bool
    var publishedAt: String
    var recognitions: [APIRecognition]

    init(_ i: Library.Item, recognitions: [YearRecord.Recognition]) {
        id = i.initiativeId
        title = i.title
        year = i.year
        campaign = i.campaignCode
        sector = i.sectorCode
        sectorName = i.sectorName
        registrantKind = i.registrantKind
        registrantName = i.registrantName
        unit = .init(code: i.unitCode, name: i.unitName)
        exemplary = i.exemplary
        publishedAt = VietnamTime.iso(i.publishedAt)
        self.recognitions = recognitions.map(APIRecognition.init)
    }
}

struct APILibraryPage: Content {
    var total: Int
    var more: Bool
    var page: Int
    var perPage: Int
    var items: [APILibraryItem]

    init(_ p: Library.Page) {
        total = p.total
        more = p.more
        page = p.filter.page
        perPage = Library.perPage
        items = p.items.map { APILibraryItem($0, recognitions: p.recognitions[$0.initiativeId] ?? []) }
    }
}

struct APILibraryEntry: Content {
    struct Results: Content { var participants: Int128; var beneficiaries: Int128; var money: Int128; var workdays: Int128 }
    struct Progress: Content { var date: String; var text: String }
    struct Photo: Content { var name: String; var contentType: String; var url: String; var caption: String }

    var item: APILibraryItem
    var purpose: String
    var content: String
    var scope: String
    var expectedResult: String
    var results: Results
    var progress: [Progress]
    var commendations: [APIModelYear.Commendation]
    var files: [Photo]
    var lineage: [APIModelYear.Lineage]

    init(_ e: Library.Entry) {
        item = APILibraryItem(e.item, recognitions: e.recognitions)
        purpose = e.model.purpose
        content = e.model.content
        scope = e.model.scope
        expectedResult = e.model.expectedResult
        let sum = e.results
        results = Results(participants: sum.participants, beneficiaries: sum.beneficiaries, money: sum.money, workdays: sum.workdays)
        progress = e.reports.map { Progress(date: $0.reportedOn, text: $0.body) }
        commendations = e.commendations.map { .init(by: $0.byName, form: $0.form, decisionNumber: $0.decisionNumber, decisionDate: $0.decisionDate) }
        files = e.files.map { Photo(name: $0.shownName, contentType: $0.contentType, url: SiteURL.libraryFile(e.item.initiativeId, $0.id).path, caption: $0.caption) }
        lineage = e.lineage.filter(\.published).map { .init(id: $0.id, year: $0.year, campaign: $0.campaignCode, unit: $0.unitCode, title: $0.title,
                                                           published: $0.published, earlier: $0.earlier) }
    }
}

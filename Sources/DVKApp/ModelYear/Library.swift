import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The public library of exemplary models: only models whose recognition staff published,
/// searched without sign-in. Nothing here reaches a contact, an account or an unpublished row.
enum Library {
    static let perPage = 20
    /// What one anonymous search may cost, by construction: the count stops at
    /// `countLimit` ("hơn 1.000 mô hình"), pages go to `maxPage` (the models the count
    /// reaches), each word's index range is counted up to `rankLimit`, and every statement
    /// runs under `statementBudget` (PostgreSQL's statement_timeout, a progress handler on SQLite).
    static let countLimit = 1_000
    static var maxPage: Int { countLimit / perPage }
    static let rankLimit = 10_000
    static let statementBudget: Duration = .seconds(2)

    struct Filter: Sendable, Equatable {
        var query = ""
        var year: Int?
        var sector: String?
        /// The depth of the highest recognising federation (0 = the top of the tree).
        var level: Int?
        /// A federation's code: models of units in its subtree.
        var federation: String?
        var page = 1
    }

    struct Item: Sendable, Codable, Equatable {
        var initiativeId: UUID
        var title: String
        var year: Int
        var campaignCode: String
        var sectorCode: String
        var sectorName: String
        var registrantKind: String
        var registrantName: String
        var unitCode: String
        var unitName: String
        var level: Int
        var exemplary: Bool
        var publishedAt: Date
        var kind: RegistrantKind { RegistrantKind(rawValue: registrantKind) ?? .collective }
    }

    struct Page: Sendable {
        /// The models that match, counted up to `countLimit`.
        var total: Int
        /// More than `total` match (the count stopped).
        var more = false
        var items: [Item]
        var recognitions: [UUID: [YearRecord.Recognition]]
        var filter: Filter
    }

    static let columns = """
        initiative_id, title, year, campaign_code, sector_code, sector_name, registrant_kind, registrant_name, unit_code, unit_name,
        level, exemplary, published_at
        """

    /// The models holding every word of the query at the start of one of their words: the
    /// index range of the rarest word, each other word checked for those models only — on
    /// SQLite in their search text (`LIKE '% word%'`, a word's start), on PostgreSQL by an
    /// index seek into the word index (its planner scans the library for the `LIKE` form).
    /// Measured with `dvk bench library` (README).
    static func matching(driver: String, others: [String], postgres: Bool) -> SQLQueryString {
        if others.isEmpty || postgres {
            var out: SQLQueryString = "SELECT DISTINCT m.initiative_id, m.published_at FROM library_words m WHERE \(range(driver, "m"))"
            for word in others {
                out.appendInterpolation("""
                     AND EXISTS (SELECT 1 FROM library_words x WHERE x.initiative_id = m.initiative_id AND \(range(word, "x")))
                    """ as SQLQueryString)
            }
            return out
        }
        var out: SQLQueryString = "SELECT initiative_id, published_at FROM library WHERE initiative_id IN (SELECT initiative_id FROM library_words m WHERE \(range(driver, "m")))"
        for word in others {
            // A word's start; a short word the whole word.
            let pattern = "% " + word + (LibrarySearch.isPrefix(word) ? "%" : " %")
            out.appendInterpolation(" AND search_text LIKE \(bind: pattern)" as SQLQueryString)
        }
        return out
    }

    /// The index entries a query word finds: the words it starts, or itself when short.
    static func range(_ word: String, _ table: String) -> SQLQueryString {
        LibrarySearch.isPrefix(word)
            ? "\(unsafeRaw: table).word >= \(bind: word) AND \(unsafeRaw: table).word < \(bind: LibrarySearch.upperBound(word))"
            : "\(unsafeRaw: table).word = \(bind: word)"
    }

    /// A query word and how many index entries it finds (counted up to `rankLimit + 1`).
    struct RankedWord: Sendable, Equatable {
        var word: String
        var count: Int
    }

    /// The query's words, each with how many index entries start with it (an index range
    /// count), fewest first: the first drives the search, the others are checked in that order.
    static func ranked(_ words: [String], _ sql: any SQLDatabase) async throws -> [RankedWord] {
        var out: [RankedWord] = []
        for word in Set(words).sorted() {
            // Counted up to `rankLimit`: past it, a word is common, whatever its exact count.
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM (SELECT 1 AS x FROM library_words w WHERE \(range(word, "w")) LIMIT \(unsafeRaw: String(rankLimit + 1))) t
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            out.append(RankedWord(word: word, count: n))
            if n == 0 { break }
        }
        return out.sorted { ($0.count, $0.word) < ($1.count, $1.word) }
    }

    /// The equality filters, or nil when there are none.
    static func filters(_ filter: Filter) -> SQLQueryString? {
        var parts: [SQLQueryString] = []
        if let year = filter.year { parts.append("year = \(bind: year)") }
        if let sector = filter.sector, !sector.isEmpty { parts.append("sector_code = \(bind: sector)") }
        if let level = filter.level { parts.append("level = \(bind: level)") }
        if let code = filter.federation, !code.isEmpty {
            parts.append("unit_path LIKE \(bind: "%/" + likeEscaped(code) + "/%") ESCAPE '!'")
        }
        guard !parts.isEmpty else { return nil }
        var out: SQLQueryString = ""
        for (i, part) in parts.enumerated() {
            if i > 0 { out.appendInterpolation(unsafeRaw: " AND ") }
            out.appendInterpolation(part)
        }
        return out
    }

    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "!" { out.append("!") }
            out.append(ch)
        }
        return out
    }

    /// One page of published models, newest first, with the number of all that match (up to
    /// `countLimit`). Pages past `maxPage`, or past the last, show the last one there is.
    ///
    /// A costly search (`isCostly`) waits for the costly lane, one at a time per server, so
    /// that a flood of the costliest searches the limits allow leaves a core for everyone
    /// else's; one that waits past the lane's patience is answered 503 with Retry-After.
    static func search(_ filter: Filter, on db: any Database) async throws -> Page {
        let words = LibrarySearch(filter.query).words
        let ranked = try await db.boundedReads(statementBudget) { db -> [RankedWord] in try await Library.ranked(words, try db.sql()) }
        let page = { try await db.boundedReads(statementBudget) { db in try await search(filter, ranked: ranked, sql: try db.sql(), on: db) } }
        return isCostly(ranked) ? try await costlyLane.admit(page) : try await page()
    }

    /// Searches whose work passes this many index entries (the rarest word's entries, each
    /// checked for every other word) take the costly lane. An everyday search stays under it
    /// ("hoa giai" at 100,000 models: 6,667 × 2); two words that every model holds ("cong
    /// doan": 10,001 × 2), or many common words, pass it.
    static let costlyAbove = 15_000
    static let costlyLane = HeavyWork(permits: 1, patience: .seconds(10), busy: DomainError.unavailable(
        "Thư viện đang nhận nhiều tìm kiếm rộng cùng lúc. Vui lòng thử lại sau ít phút, hoặc thêm từ khóa, năm hay lĩnh vực để thu hẹp."))

    /// Whether a search, by its words' ranked counts, takes the costly lane.
    static func isCostly(_ ranked: [RankedWord]) -> Bool {
        guard let driver = ranked.first, driver.count > 0 else { return false }
        let (work, overflow) = driver.count.multipliedReportingOverflow(by: ranked.count)
        return overflow || work > costlyAbove
    }

    private static func search(_ filter: Filter, ranked: [RankedWord], sql: any SQLDatabase,
                               on db: any Database) async throws -> Page {
        var shown = filter
        shown.page = 1
        if ranked.first?.count == 0 { return Page(total: 0, items: [], recognitions: [:], filter: shown) }
        let postgres = sql.dialect.name == "postgresql"
        let words = ranked.first.map { d in matching(driver: d.word, others: ranked.dropFirst().map(\.word), postgres: postgres) }
        // The matching models: from the word index alone when there are no other filters,
        // else the library rows of the models the words match.
        let from: SQLQueryString
        switch (words, filters(filter)) {
        case (let words?, nil): from = "(\(words)) q"
        case (let words?, let where_?): from = "library WHERE initiative_id IN (SELECT initiative_id FROM (\(words)) q) AND \(where_)"
        case (nil, let where_?): from = "library WHERE \(where_)"
        case (nil, nil): from = "library"
        }
        // The matches in their order, up to one past the count's bound, in one statement:
        // the count and the page are read from the same ids (a search whose words match
        // thousands of models finds them once, not once for the count and again for the page).
        let matched = try await sql.raw("""
            SELECT initiative_id FROM \(from) ORDER BY published_at DESC, initiative_id LIMIT \(unsafeRaw: String(countLimit + 1))
            """).all().map { try $0.decode(column: "initiative_id", as: UUID.self) }
        let counted = matched.count
        let total = min(counted, countLimit)
        let lastPage = max(1, (total + perPage - 1) / perPage)
        shown.page = min(max(1, filter.page), lastPage)
        let first = (shown.page - 1) * perPage
        let ids = first < total ? Array(matched[first..<min(total, first + perPage)]) : []
        guard !ids.isEmpty else { return Page(total: total, more: counted > countLimit, items: [], recognitions: [:], filter: shown) }
        let items = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM library WHERE initiative_id IN (\(SQLList(ids.map { SQLBind($0) })))
            """).all(decoding: Item.self, keyDecodingStrategy: .convertFromSnakeCase)
        let byID = Dictionary(items.map { ($0.initiativeId, $0) }, uniquingKeysWith: { a, _ in a })
        return Page(total: total, more: counted > countLimit, items: ids.compactMap { byID[$0] },
                    recognitions: try await YearStore.recognitions(of: ids, on: db), filter: shown)
    }

    /// The most recently published models (the feed).
    static func recent(_ limit: Int, on db: any Database) async throws -> [Item] {
        try await db.sql().raw("""
            SELECT \(unsafeRaw: columns) FROM library ORDER BY published_at DESC, initiative_id LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: Item.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// One published model, everything the public may see of it.
    struct Entry: Sendable {
        var item: Item
        var model: ModelBasics
        var recognitions: [YearRecord.Recognition]
        var commendations: [YearRecord.Commendation]
        var reports: [YearRecord.ProgressReport]
        /// Public photos (and PDFs) of its progress reports.
        var files: [YearRecord.ModelFile]
        var lineage: [YearRecord.LineageEntry]
        /// Other units' models replicating it (`unitCode` holds the unit's name).
        var replications: [YearRecord.LineageEntry] = []
        /// Its reports' figures, summed.
        var results: ProgressFigures { reports.map(\.figures).reduce(ProgressFigures(), +) }
    }

    /// A published model, or "not found" (unpublished, unknown: the same answer).
    static func entry(_ id: UUID, on db: any Database) async throws -> Entry {
        let sql = try db.sql()
        let decode = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
        guard let item = try await sql.raw("SELECT \(unsafeRaw: columns) FROM library WHERE initiative_id = \(bind: id)")
            .first(decoding: Item.self, with: decode),
              let model = try await sql.raw("\(unsafeRaw: ModelBasics.select) WHERE i.id = \(bind: id)").first(decoding: ModelBasics.self, with: decode)
        else { throw notFound }
        let reports = try await YearStore.reports(of: id, on: db)
        let files = try await sql.raw("""
            SELECT id, report_id, name, content_type, size, public, caption FROM model_files WHERE initiative_id = \(bind: id) AND public = \(bind: true)
            ORDER BY created_at, name
            """).all(decoding: YearRecord.ModelFile.self, with: decode)
        let commendations = try await YearStore.commendations(of: id, on: db)
        return Entry(item: item, model: model, recognitions: try await YearStore.recognitions(of: [id], on: db)[id] ?? [],
                     commendations: commendations, reports: reports, files: files,
                     lineage: try await YearStore.lineage(of: model, on: db), replications: try await YearStore.replications(of: id, visibleTo: nil, on: db))
    }

    static let notFound = DomainError.notFound("Không tìm thấy mô hình này trong thư viện mô hình tiêu biểu.")

    /// What the filters offer: the years, sectors and levels of published models, and the
    /// federations that recognised them.
    struct Choices: Sendable {
        var years: [Int]
        var sectors: [(code: String, name: String)]
        var levels: [(level: Int, names: [String])]
        var federations: [(code: String, name: String)]
    }

    static func choices(on db: any Database) async throws -> Choices {
        let sql = try db.sql()
        let years = try await sql.raw("SELECT DISTINCT year FROM library ORDER BY year DESC").all().map { try $0.decode(column: "year", as: Int.self) }
        let sectors = try await sql.raw("SELECT sector_code, MIN(sector_name) AS name FROM library GROUP BY sector_code ORDER BY MIN(sector_name)").all()
            .map { (code: try $0.decode(column: "sector_code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
        let levelRows = try await sql.raw("""
            SELECT DISTINCT r.by_depth, r.by_name FROM recognitions r JOIN library l ON l.initiative_id = r.initiative_id
            ORDER BY r.by_depth, r.by_name
            """).all()
        var levels: [Int: [String]] = [:]
        var federations: [(code: String, name: String)] = []
        for row in levelRows {
            levels[try row.decode(column: "by_depth", as: Int.self), default: []].append(try row.decode(column: "by_name", as: String.self))
        }
        let feds = try await sql.raw("""
            SELECT DISTINCT r.by_code, r.by_name FROM recognitions r JOIN library l ON l.initiative_id = r.initiative_id ORDER BY r.by_name
            """).all()
        for row in feds { federations.append((try row.decode(column: "by_code", as: String.self), try row.decode(column: "by_name", as: String.self))) }
        return Choices(years: years, sectors: sectors, levels: levels.keys.sorted().map { ($0, levels[$0]!) }, federations: federations)
    }
}

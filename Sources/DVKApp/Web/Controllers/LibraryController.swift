import DVKCore
import Fluent
import Vapor

/// The public library of exemplary models: a search page, a page per published model, its
/// published photos and an Atom feed. No sign-in; nothing unpublished is reachable here.
struct LibraryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.loopGrouped(AnonymousRateLimitMiddleware())
        routes.get(SiteURL.library.route, use: search)
        routes.get(SiteURL.libraryFeed.route, use: feed)
        routes.get(SiteURL.libraryEntry(UUID.random()).route, use: entry)
        routes.get(SiteURL.libraryFile(UUID.random(), UUID.random()).route, use: file)
        routes.get(SiteURL.libraryReplicate(UUID.random()).route, use: replicate)
    }

    @Sendable func search(req: Request) async throws -> Response {
        let filter = try YearAPIController.libraryFilter(req)
        let page = try await Library.search(filter, on: req.database)
        return Layout.response(LibraryPages.search(page, choices: try await Library.choices(on: req.database), user: req.currentUser))
    }

    @Sendable func entry(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Library.notFound }
        return Layout.response(LibraryPages.entry(try await Library.entry(id, on: req.database), user: req.currentUser))
    }

    @Sendable func file(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let fileID = req.parameters.get("fileID", as: UUID.self) else { throw Library.notFound }
        _ = try await Library.entry(id, on: req.database)
        let f = try await YearStore.file(fileID, of: id, publicOnly: true, on: req.database)
        return YearController.fileResponse(f, cache: "public, max-age=3600")
    }

    /// A signed-in officer replicates a published model: the form of their unit's registration
    /// in the newest open campaign, started from the model.
    @Sendable func replicate(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Library.notFound }
        _ = try await Library.entry(id, on: req.database)
        for head in try await Access.campaignHeads(for: user, in: [.open], on: req.database) {
            let found = try await Access.campaign(code: head.code, unit: user.unitCode, user: user, read: req.takeReach(), on: req.database)
            if let unit = found.unit, found.view.canRegister(unit) {
                return req.redirect(to: SiteURL.initiativeNew(campaign: head.code, unit: unit.code)
                    .link(query: [("replicates", id.canonicalText)]).value)
            }
        }
        throw DomainError.conflict("Đơn vị không có đợt thi đua nào đang mở để đăng ký nhân rộng mô hình.")
    }

    /// The 50 models published last, as Atom.
    @Sendable func feed(req: Request) async throws -> Response {
        let items = try await Library.recent(50, on: req.database)
        // Links at the configured public address, never one the request's Host names.
        let response = Response(status: .ok, body: .init(string: LibraryPages.atom(items, base: req.application.dvkConfig.publicURL)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }
}

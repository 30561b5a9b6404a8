import Fluent
import Vapor

/// Every route: pages behind the user and CSRF middleware, the API under /api/v1.
func routes(_ app: Application, inFlight: InFlightRequests) throws {
    app.middleware = Middlewares()
    // On SQLite a GET's reads, from the session's on, share one read transaction.
    let reads: [any LoopMiddleware] = app.dvkConfig.database.isPostgres ? [] : [ReadSnapshotMiddleware()]
    app.middleware.use(LoopChain([RequestLogMiddleware(), inFlight, SecurityHeadersMiddleware(), DVKErrorMiddleware()] + reads
                                 + [UserMiddleware(), TwoFactorGate(), FlashMiddleware()]))
    app.get("health") { _ in "ok" }
    app.get("ready") { req in await Readiness.check(req) }
    app.get("metrics") { req async throws -> Response in
        guard req.application.dvkConfig.metrics.admits(req) else { throw Abort(.notFound) }
        return await MetricsEndpoint.response(req)
    }
    routeAssets(app)
    // Forms are read whole before the CSRF check looks for their token.
    let web = app.loopGrouped(FormBodyMiddleware(), CSRFMiddleware())
    try web.register(collection: AuthController())
    try web.register(collection: AccountLinksController())
    try web.register(collection: PeopleController())
    try web.register(collection: HomeController())
    try web.register(collection: CampaignController())
    try web.register(collection: RegistrationController())
    try web.register(collection: DocumentController())
    try web.register(collection: CampaignAdminController())
    try web.register(collection: RemindersController())
    try web.register(collection: ReportNotesController())
    try web.register(collection: MailController())
    try web.register(collection: UnitsController())
    try web.register(collection: YearController())
    try web.register(collection: LibraryController())
    try web.register(collection: AuditController())
    try app.register(collection: APIController())
    LoopResponder.install(on: app.routes)
    app.routeTable = RouteTable(app.routes.all)
}

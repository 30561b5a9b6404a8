import Fluent
import Vapor

/// Every route: pages behind the user and CSRF middleware, the API under /api/v1.
func routes(_ app: Application) throws {
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(DVKErrorMiddleware())
    app.middleware.use(UserMiddleware())
    app.get("health") { _ in "ok" }
    routeStyles(app)
    let web = app.grouped(CSRFMiddleware())
    try web.register(collection: AuthController())
    try web.register(collection: HomeController())
    try web.register(collection: CampaignController())
    try web.register(collection: RegistrationController())
    try web.register(collection: DocumentController())
    try app.register(collection: APIController())
}

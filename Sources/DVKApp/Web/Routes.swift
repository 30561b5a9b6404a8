import Vapor

func routes(_ app: Application) throws {
    app.get("health") { _ in "ok" }
    app.get { _ in HomePage.response() }
}

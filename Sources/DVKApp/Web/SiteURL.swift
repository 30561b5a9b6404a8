import Foundation

/// Every page and form target of the web app; views build links only from here.
enum SiteURL: Sendable, Equatable {
    case home
    case login
    case logout
    case styles
    case campaigns
    case campaignNew
    case campaign(String)
    case campaignEdit(String)
    case campaignState(String)
    case campaignSync(String)
    case reminders(String)
    case remindersCSV(String)
    case unitPage(campaign: String, unit: String)
    case initiativeNew(campaign: String, unit: String)
    case initiativeEdit(campaign: String, unit: String, id: UUID)
    case initiativeDelete(campaign: String, unit: String, id: UUID)
    case submit(campaign: String, unit: String)
    case declare(campaign: String, unit: String)
    case review(campaign: String, unit: String)
    case extend(campaign: String, unit: String)
    case upload(campaign: String, unit: String)
    case document(campaign: String, unit: String, kind: String, format: String)
    case initiativeForm(campaign: String, unit: String, id: UUID, format: String)
    case units
    case unit(String)
    case unitNew
    case unitsImport

    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .styles: "/styles.css"
        case .campaigns: "/campaigns"
        case .campaignNew: "/campaigns/new"
        case .campaign(let c): "/campaigns/\(e(c))"
        case .campaignEdit(let c): "/campaigns/\(e(c))/edit"
        case .campaignState(let c): "/campaigns/\(e(c))/state"
        case .campaignSync(let c): "/campaigns/\(e(c))/sync"
        case .reminders(let c): "/campaigns/\(e(c))/reminders"
        case .remindersCSV(let c): "/campaigns/\(e(c))/reminders.csv"
        case .unitPage(let c, let u): "/campaigns/\(e(c))/units/\(e(u))"
        case .initiativeNew(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/initiatives/new"
        case .initiativeEdit(let c, let u, let id): "/campaigns/\(e(c))/units/\(e(u))/initiatives/\(id.uuidString)/edit"
        case .initiativeDelete(let c, let u, let id): "/campaigns/\(e(c))/units/\(e(u))/initiatives/\(id.uuidString)/delete"
        case .submit(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/submit"
        case .declare(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/declare"
        case .review(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/review"
        case .extend(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/extension"
        case .upload(let c, let u): "/campaigns/\(e(c))/units/\(e(u))/import"
        case .document(let c, let u, let kind, let format): "/campaigns/\(e(c))/units/\(e(u))/documents/\(kind).\(format)"
        case .initiativeForm(let c, let u, let id, let format): "/campaigns/\(e(c))/units/\(e(u))/initiatives/\(id.uuidString)/form.\(format)"
        case .units: "/units"
        case .unit(let u): "/units/\(e(u))"
        case .unitNew: "/units/new"
        case .unitsImport: "/units/import"
        }
    }

    private func e(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}

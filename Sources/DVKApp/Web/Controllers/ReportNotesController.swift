import DVKCore
import Fluent
import Vapor

/// Saves what a federation's clerk writes into its reports (`ReportNotes`), then back to
/// the page the form is on: the dashboard for the registration report, the year page for
/// the year-end report. Staff and administrators of the federation itself only.
struct ReportNotesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for kind in ReportNotes.Kind.allCases {
            routes.post(SiteURL.reportNotes(campaign: "", kind: kind).route) { req in try await save(req, kind) }
        }
    }

    struct Form: Content {
        var assessment: String?
        var proposals: String?
        var version: Int?
    }

    func save(_ req: Request, _ kind: ReportNotes.Kind) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, read: req.takeReach(), on: req.database)
        // The notes are the user's own federation's, whatever part of the tree it sees.
        guard ReportNotes.mayWrite(view) else {
            throw DomainError.forbidden("Chỉ cán bộ của chính công đoàn cấp trên lập báo cáo mới ghi được phần đánh giá, đề xuất.")
        }
        let form = try req.content.decode(Form.self)
        try await ReportNotes.save(campaign: view.campaign.id, unit: user.unitID, kind: kind, assessment: form.assessment,
                                   proposals: form.proposals, version: form.version ?? 0, author: user.displayName, at: req.now, on: req.database)
        let back: Link = kind == .registration
            ? SiteURL.campaign(view.campaign.code).link(fragment: "van-ban") : SiteURL.year(view.campaign.code).link(fragment: "van-ban-nam")
        return Flash.redirect(req, to: back, message: "Đã lưu phần đánh giá, đề xuất; báo cáo tải về sẽ in nội dung này.")
    }
}

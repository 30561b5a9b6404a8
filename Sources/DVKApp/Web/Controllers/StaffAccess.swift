import DVKCore
import Vapor

/// Who may use the federation staff's pages (campaign settings, reminders, the unit tree).
/// The role is checked first, the same way for every code, so a refusal tells nothing
/// about what exists; then scope, where anything outside it is "not found" (see `Access`).
enum StaffAccess {
    static let officerRefusal = "Chức năng này dành cho cán bộ công đoàn cấp trên. Tài khoản cán bộ công đoàn cơ sở không dùng được."
    static let viewerRefusal = "Tài khoản theo dõi chỉ được xem, không được thay đổi dữ liệu."

    /// Staff, administrators and viewers (who read only).
    static func reader(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        if user.role == .officer { throw WebError.forbidden(officerRefusal) }
        return user
    }

    /// Staff and administrators.
    static func manager(_ req: Request) throws -> CurrentUser {
        let user = try reader(req)
        if !user.role.manages { throw WebError.forbidden(viewerRefusal) }
        return user
    }

    /// The campaign is run from the issuer (or above): staff of a unit below see it only.
    static func requireRun(_ view: Access.CampaignView) throws {
        guard view.canRun else {
            throw WebError.forbidden("Chỉ cán bộ của đơn vị phát động (\(view.campaign.issuerName)) hoặc cấp trên mới điều hành được đợt thi đua này.")
        }
    }
}

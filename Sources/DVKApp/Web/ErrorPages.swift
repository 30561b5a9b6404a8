import DVKCore
import Fluent
import Vapor

/// Turns every error into a Vietnamese page (browsers) or `{"error": {"code", "message"}}` (API),
/// with a status that says what happened; the login page for a browser that is not signed in.
struct DVKErrorMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var error = error
            // No route for this method: 405 when the path answers other methods.
            if let abort = error as? any AbortError, abort.status == .notFound, request.route == nil,
               let allowed = request.application.routeTable?.methods(for: request.url.path), !allowed.isEmpty {
                error = MethodNotAllowed(allowed: allowed)
            }
            let (status, code, message) = Self.describe(error)
            var extra = (error as? any AbortError)?.headers ?? [:]
            // Busy: when to try again.
            if status == .serviceUnavailable, !extra.contains(name: .retryAfter) { extra.add(name: .retryAfter, value: "10") }
            if status == .internalServerError { request.logger.report(error: error) }
            if request.isAPI {
                let response = Response(status: status, headers: extra)
                try response.content.encode(APIErrorBody(error: .init(code: code, message: message)))
                return response
            }
            if case WebError.unauthenticated = error {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                return request.redirect(to: SiteURL.login.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            // A form sent after its session ended: sign in again (the login page says the
            // session has expired), then back to the page the form was on.
            if case WebError.csrf = error, request.currentUser == nil, request.cookie(AuthStore.cookieName) != nil {
                let referer = request.headers.first(name: .referer).flatMap { URLComponents(string: $0) }
                let back = SafeRedirect.path(referer.map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") })
                return request.redirect(to: SiteURL.login.path + "?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"),
                                        redirectType: .normal)
            }
            let page = Layout.page(title: "Không thực hiện được", user: request.currentUser, body: [
                .h1(.text(code == "csrf" ? "Phiên làm việc đã hết hạn" : Self.heading(status))),
                .div(.class("alert error"), .p(.text(message))),
                .p(.a(.href(.home), "← Trang chủ")),
            ])
            let response = Response(status: status, headers: extra, body: page.body)
            response.headers.contentType = .html
            return response
        }
    }

    static func heading(_ status: HTTPResponseStatus) -> String {
        switch status {
        case .notFound: "Không tìm thấy"
        case .forbidden: "Không có quyền"
        case .conflict: "Không thực hiện được"
        case .badRequest, .unprocessableEntity: "Dữ liệu chưa hợp lệ"
        case .tooManyRequests: "Quá nhiều yêu cầu"
        case .payloadTooLarge: "Tệp hoặc dữ liệu quá lớn"
        case .serviceUnavailable: "Máy chủ đang bận"
        default: "Đã có lỗi"
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, String) {
        switch error {
        case let e as DomainError:
            switch e {
            case .notFound(let m): return (.notFound, "not_found", m)
            case .invalid(let m): return (.unprocessableEntity, "invalid", m)
            case .forbidden(let m): return (.forbidden, "forbidden", m)
            case .conflict(let m): return (.conflict, "conflict", m)
            case .tooLarge(let m): return (.payloadTooLarge, "too_large", m)
            case .unavailable(let m): return (.serviceUnavailable, "unavailable", m)
            case .badFile: return (.unprocessableEntity, "bad_file", e.message)
            }
        case let e as WebError:
            switch e {
            case .unauthenticated: return (.unauthorized, "unauthenticated", "Cần đăng nhập.")
            case .csrf: return (.forbidden, "csrf", "Trang đã mở quá lâu hoặc phiên làm việc đã hết hạn nên thao tác chưa được thực hiện. Vui lòng tải lại trang rồi thử lại.")
            case .forbidden(let m): return (.forbidden, "forbidden", m)
            case .badRequest(let m): return (.badRequest, "bad_request", m)
            }
        case let e as AuthError:
            switch e {
            case .badCredentials, .badSecondFactor: return (.unauthorized, "bad_credentials", e.message)
            case .secondFactor, .secondFactorExpired: return (.unauthorized, "second_factor", e.message)
            case .throttled: return (.tooManyRequests, "throttled", e.message)
            }
        case let e as RateLimited:
            return (.tooManyRequests, "rate_limited", e.reason)
        case let e as any AbortError:
            switch e.status {
            case .notFound: return (.notFound, "not_found", "Không tìm thấy trang hoặc dữ liệu này.")
            case .payloadTooLarge: return (.payloadTooLarge, "too_large", "Tệp hoặc dữ liệu gửi lên quá lớn.")
            case .unsupportedMediaType, .badRequest: return (e.status, "bad_request", "Dữ liệu gửi lên không đúng định dạng.")
            case .unprocessableEntity: return (e.status, "invalid", "Dữ liệu gửi lên chưa đủ hoặc không hợp lệ.")
            case .methodNotAllowed: return (e.status, "method_not_allowed", "Thao tác này không được hỗ trợ ở địa chỉ này.")
            case .unauthorized: return (e.status, "unauthenticated", "Cần đăng nhập.")
            case .forbidden: return (e.status, "forbidden", "Tài khoản không có quyền thực hiện thao tác này.")
            default: return (e.status, "error", "Không thực hiện được yêu cầu (mã \(e.status.code)).")
            }
        case is DecodingError:
            return (.badRequest, "bad_request", "Dữ liệu gửi lên không đúng định dạng.")
        case let e as any DatabaseError where e.isConstraintFailure:
            // A write that lost a race for the same key: its transaction changed nothing.
            return (.conflict, "conflict", "Dữ liệu này vừa được người khác ghi cùng lúc nên thao tác chưa thực hiện được. Vui lòng tải lại trang để xem dữ liệu mới nhất.")
        default:
            // Whether a write got through is not known here: say so, never "nothing changed".
            return (.internalServerError, "internal", "Hệ thống gặp lỗi ngoài dự kiến. Vui lòng tải lại trang để kiểm tra kết quả trước khi thử lại.")
        }
    }
}

struct APIErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
    }
    var error: Detail
}

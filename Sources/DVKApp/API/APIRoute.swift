import Vapor

/// Every route of the JSON API, named by its OpenAPI `operationId`: its method and path.
/// Controllers register the routes from these (`RoutesBuilder.on(_:use:)`), and the OpenAPI
/// document keys its paths and operations by them, so a route and its documentation
/// cannot drift apart (`OpenAPITests` checks both ways).
enum APIRoute: String, CaseIterable, Sendable {
    case openAPI
    case getMe, listUnits, getUnit
    case listCampaigns, getCampaign, listSubmissions, getSubmission, getSummary, listNominations
    case listInitiatives, createInitiative, getInitiative, updateInitiative, deleteInitiative
    case submit, declare, accept, returnSubmission, extend
    case getModelYear, reportProgress, verify, recognise, withdrawRecognition, nominate, withdrawNomination, commend, publish
    case searchLibrary, getLibraryModel
    case listUsers, createUser, getUser, updateUser, resendInvitation
    case listAudit

    /// A piece of the path after `/api/v1`: a word, or a parameter's name.
    enum Segment: Sendable, Equatable {
        case word(String)
        case parameter(String)
    }

    var method: HTTPMethod {
        switch self {
        case .createInitiative, .submit, .declare, .accept, .returnSubmission, .extend, .reportProgress, .commend, .createUser, .resendInvitation:
            .POST
        case .updateInitiative, .verify, .recognise, .nominate, .publish: .PUT
        case .deleteInitiative, .withdrawRecognition, .withdrawNomination: .DELETE
        case .updateUser: .PATCH
        default: .GET
        }
    }

    var segments: [Segment] {
        let campaign: [Segment] = [.word("campaigns"), .parameter("campaign")]
        let unit = campaign + [.word("units"), .parameter("unit")]
        let initiative = unit + [.word("initiatives"), .parameter("id")]
        let user: [Segment] = [.word("users"), .parameter("id")]
        switch self {
        case .openAPI: return [.word("openapi.json")]
        case .getMe: return [.word("me")]
        case .listUnits: return [.word("units")]
        case .getUnit: return [.word("units"), .parameter("unit")]
        case .listCampaigns: return [.word("campaigns")]
        case .getCampaign: return campaign
        case .listSubmissions: return campaign + [.word("units")]
        case .getSubmission: return unit
        case .getSummary: return campaign + [.word("summary")]
        case .listNominations: return campaign + [.word("nominations")]
        case .listInitiatives, .createInitiative: return unit + [.word("initiatives")]
        case .getInitiative, .updateInitiative, .deleteInitiative: return initiative
        case .submit: return unit + [.word("submit")]
        case .declare: return unit + [.word("declare")]
        case .accept: return unit + [.word("accept")]
        case .returnSubmission: return unit + [.word("return")]
        case .extend: return unit + [.word("extension")]
        case .getModelYear: return initiative + [.word("year")]
        case .reportProgress: return initiative + [.word("progress")]
        case .verify: return initiative + [.word("verification")]
        case .recognise, .withdrawRecognition: return initiative + [.word("recognition")]
        case .nominate, .withdrawNomination: return initiative + [.word("nomination")]
        case .commend: return initiative + [.word("commendations")]
        case .publish: return initiative + [.word("publication")]
        case .searchLibrary: return [.word("library")]
        case .getLibraryModel: return [.word("library"), .parameter("id")]
        case .listUsers, .createUser: return [.word("users")]
        case .getUser, .updateUser: return user
        case .resendInvitation: return user + [.word("invitation")]
        case .listAudit: return [.word("audit")]
        }
    }

    static let base = "/api/v1"

    /// The OpenAPI path: "/api/v1/units/{unit}".
    var template: String {
        Self.base + segments.map { segment in
            switch segment {
            case .word(let w): "/" + w
            case .parameter(let p): "/{" + p + "}"
            }
        }.joined()
    }

    /// The router's path under `/api/v1`.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .word(let w): .constant(w)
            case .parameter(let p): .parameter(p)
            }
        }
    }

    /// The largest body the route reads (a larger one is refused with 413 before it is
    /// read): room for every text at its longest, each character written as a JSON escape
    /// pair (12 bytes for a letter outside the BMP). Reads take no body.
    var maxBody: ByteCount {
        switch self {
        // An initiative's four long texts, or a return's comment on each initiative.
        case .createInitiative, .updateInitiative, .returnSubmission: "1mb"
        case .reportProgress, .verify, .recognise, .nominate, .commend, .publish, .extend, .submit, .declare, .accept,
             .createUser, .updateUser, .resendInvitation, .deleteInitiative, .withdrawRecognition, .withdrawNomination: "128kb"
        default: "16kb"
        }
    }

    /// Needs no credential.
    var isPublic: Bool { self == .openAPI || self == .searchLibrary || self == .getLibraryModel }
}

extension RoutesBuilder {
    /// Registers `route` (relative to the `/api/v1` group this builder is).
    @discardableResult
    func on<Response: AsyncResponseEncodable>(_ route: APIRoute, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(route.method, route.pathComponents, body: .collect(maxSize: route.maxBody), use: handler)
    }
}

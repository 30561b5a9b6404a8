import Foundation

/// Tập thể or cá nhân.
public enum RegistrantKind: String, Codable, Sendable, CaseIterable {
    case collective
    case individual

    /// "collective", "individual", "tập thể", "cá nhân" in any case, with or without diacritics.
    public init?(parsing text: String) {
        switch VietnameseText.searchKey(text) {
        case "collective", "tap the": self = .collective
        case "individual", "ca nhan": self = .individual
        default: return nil
        }
    }

    public var label: String {
        switch self {
        case .collective: "Tập thể"
        case .individual: "Cá nhân"
        }
    }
}

/// Whether a model is new this year or continues (maintains, replicates) a recognised one.
public enum Continuity: String, Codable, Sendable, CaseIterable {
    case new
    case continues

    public var label: String {
        switch self {
        case .new: "Mô hình mới"
        case .continues: "Duy trì, nhân rộng mô hình đã được công nhận"
        }
    }

    /// What a file may write: “Mới” or “Duy trì” (with or without diacritics, or the
    /// longer labels), or the codes `new` and `continues`.
    public init?(parsing text: String) {
        let key = VietnameseText.searchKey(text).trimmingCharacters(in: CharacterSet(charactersIn: " .,;"))
        if let code = Continuity(rawValue: key) { self = code; return }
        switch key {
        case "moi", "mo hinh moi": self = .new
        case "duy tri", "nhan rong", "duy tri, nhan rong", "duy tri nhan rong": self = .continues
        default:
            if key.hasPrefix("duy tri") { self = .continues } else { return nil }
        }
    }
}

/// A unit's answer for a campaign, through the review workflow.
public enum SubmissionStatus: String, Codable, Sendable, CaseIterable {
    case notStarted = "not_started"
    case draft
    case submitted
    case returned
    case resubmitted
    case accepted

    /// Initiatives of these count in an official summary.
    public var counts: Bool { self == .submitted || self == .resubmitted || self == .accepted }

    /// The states whose initiatives count, in declaration order.
    public static let counted: [SubmissionStatus] = allCases.filter(\.counts)

    /// The unit may still edit its initiatives.
    public var isEditable: Bool { self == .notStarted || self == .draft || self == .returned }

    public var label: String {
        switch self {
        case .notStarted: "Chưa bắt đầu"
        case .draft: "Đang soạn"
        case .submitted: "Đã nộp"
        case .returned: "Đã trả lại"
        case .resubmitted: "Đã nộp lại"
        case .accepted: "Đã duyệt"
        }
    }
}

/// What a person does to a submission; `apply` says what state it leads to or why not.
public enum SubmissionAction: String, Codable, Sendable {
    case edit, submit, declare, accept, `return`, reopen, `import`, extend
    /// The unit was taken into the campaign after it opened (a new unit, or one added to its
    /// chosen units).
    case join

    public var label: String {
        switch self {
        case .edit: "Soạn"
        case .submit: "Nộp"
        case .declare: "Báo không đăng ký mô hình"
        case .accept: "Duyệt"
        case .return: "Trả lại"
        case .reopen: "Mở lại để sửa"
        case .import: "Nhập từ tệp"
        case .extend: "Gia hạn"
        case .join: "Tham gia đợt"
        }
    }

    /// What happened, as the history says it after the person's name: "nộp hồ sơ đăng ký",
    /// "nộp lại hồ sơ", "trả lại hồ sơ" …
    public func verb(from: SubmissionStatus, to: SubmissionStatus) -> String {
        switch self {
        case .edit: from == .notStarted ? "bắt đầu soạn hồ sơ" : "sửa hồ sơ"
        case .submit: to == .resubmitted ? "nộp lại hồ sơ" : "nộp hồ sơ đăng ký"
        case .declare: "báo không đăng ký mô hình"
        case .accept: "duyệt hồ sơ"
        case .return: "trả lại hồ sơ để chỉnh sửa, bổ sung"
        case .reopen: "mở lại hồ sơ để sửa"
        case .import: from == to ? "nhập mô hình từ tệp" : "nhập hồ sơ từ tệp"
        case .extend: "gia hạn nộp"
        case .join: "đưa đơn vị vào đợt thi đua"
        }
    }

    /// The state after this action, or a Vietnamese reason it is refused.
    public func apply(to status: SubmissionStatus) -> Result<SubmissionStatus, DomainError> {
        switch (self, status) {
        case (.edit, .notStarted), (.edit, .draft): return .success(.draft)
        case (.edit, .returned): return .success(.returned)
        case (.submit, .notStarted), (.submit, .draft), (.declare, .notStarted), (.declare, .draft):
            return .success(.submitted)
        case (.submit, .returned), (.declare, .returned): return .success(.resubmitted)
        case (.accept, .submitted), (.accept, .resubmitted): return .success(.accepted)
        case (.return, .submitted), (.return, .resubmitted), (.return, .accepted): return .success(.returned)
        case (.reopen, .submitted), (.reopen, .resubmitted): return .success(.draft)
        case (.import, .notStarted), (.import, .draft): return .success(.submitted)
        case (.import, .returned): return .success(.resubmitted)
        case (.import, let s): return .success(s)
        case (.extend, let s), (.join, let s): return .success(s)
        default:
            return .failure(.conflict("Không thể \(label.lowercased()) khi hồ sơ đang ở trạng thái “\(status.label)”."))
        }
    }
}

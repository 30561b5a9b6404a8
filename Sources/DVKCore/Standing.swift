import Foundation

/// Where one target unit stands in a campaign: the one value every page, API answer,
/// document, reminder and store asks "what is this unit's deadline, is it late, may it
/// submit now, whose move is it, which group of the dashboard is it in".
///
/// The lateness rule (DESIGN.md §4): a unit is late when its *first* submission — or its
/// "no model" answer — came at or after its deadline, the extension granted to it
/// included. A return and a resubmission never change that. When a reviewer returns work
/// with a date to resubmit by, a resubmission at or after that instant is "nộp lại muộn",
/// recorded apart from lateness.
public struct Standing: Sendable, Hashable {
    public var status: SubmissionStatus
    public var noModel: Bool
    /// When the unit first submitted (or declared "no model"); never changes afterwards.
    public var firstSubmittedAt: Date?
    /// When it last submitted or resubmitted.
    public var lastSubmittedAt: Date?
    /// The instant by which the reviewer asked for the returned work again.
    public var resubmitBy: Date?
    public var extendedUntil: Date?
    public var policy: DeadlinePolicy

    public init(status: SubmissionStatus = .notStarted, noModel: Bool = false, firstSubmittedAt: Date? = nil,
                lastSubmittedAt: Date? = nil, resubmitBy: Date? = nil, extendedUntil: Date? = nil, policy: DeadlinePolicy) {
        self.status = status
        self.noModel = noModel
        self.firstSubmittedAt = firstSubmittedAt
        self.lastSubmittedAt = lastSubmittedAt
        self.resubmitBy = resubmitBy
        self.extendedUntil = extendedUntil
        self.policy = policy
    }

    /// The unit's own deadline: the campaign's, or its extension when that is later.
    public var deadline: Date { max(policy.deadline, extendedUntil ?? policy.deadline) }

    /// Has handed in at least once (submitted or answered "no model").
    public var hasSubmitted: Bool { firstSubmittedAt != nil }

    /// The first submission came at or after the unit's deadline.
    public var isLate: Bool { firstSubmittedAt.map { $0 >= deadline } ?? false }

    /// The work came back after the date the reviewer set for it.
    public var isResubmittedLate: Bool {
        guard status.counts, let by = resubmitBy, let last = lastSubmittedAt else { return false }
        return last >= by
    }

    /// Whether the unit's initiatives may be added, edited or deleted: while the campaign is
    /// open and the unit has not handed in (or has had its work returned).
    public var mayEdit: Bool { policy.isOpen && status.isEditable }

    /// Whether the unit may submit (or resubmit, or answer "no model") at `now`. Returned
    /// work may always come back while the campaign is open; a first submission after the
    /// deadline only when the campaign takes late work.
    public func maySubmit(at now: Date) -> Bool {
        guard mayEdit else { return false }
        if status == .returned { return true }
        return policy.acceptsLate || now < deadline
    }

    /// A submission made at `now` would be marked late.
    public func wouldBeLate(at now: Date) -> Bool {
        firstSubmittedAt.map { $0 >= deadline } ?? (now >= deadline)
    }

    /// A resubmission made at `now` would be "nộp lại muộn".
    public func wouldBeResubmittedLate(at now: Date) -> Bool {
        status == .returned && (resubmitBy.map { now >= $0 } ?? false)
    }

    /// Whose move it is.
    public enum Turn: String, Sendable, Hashable {
        /// Not started, drafting, or returned: the unit has to hand in.
        case unit
        /// Handed in with models, not yet accepted: the reviewer's move.
        case review
        /// Accepted, or answered "no model".
        case done
    }

    public var turn: Turn {
        if !status.counts { return .unit }
        if status == .accepted || noModel { return .done }
        return .review
    }

    /// The group of the dashboard the unit is counted in; the groups partition the
    /// targets: đã nộp = chờ duyệt + đã duyệt + không đăng ký (= đúng hạn + muộn),
    /// chưa nộp = chưa bắt đầu + đang soạn + đã trả lại.
    public var phase: Phase {
        switch status {
        case .notStarted: .notStarted
        case .draft: .draft
        case .returned: .returned
        case .accepted: noModel ? .noModel : .accepted
        case .submitted, .resubmitted: noModel ? .noModel : .waitingReview
        }
    }

    public enum Phase: String, Sendable, Hashable, CaseIterable, Codable {
        case notStarted = "not_started"
        case draft
        case returned
        case waitingReview = "waiting_review"
        case accepted
        case noModel = "no_model"

        /// Handed in (counted in the official summary).
        public var isSubmitted: Bool { self == .waitingReview || self == .accepted || self == .noModel }

        public var label: String {
            switch self {
            case .notStarted: "Chưa bắt đầu"
            case .draft: "Đang soạn"
            case .returned: "Đã trả lại"
            case .waitingReview: "Chờ duyệt"
            case .accepted: "Đã duyệt"
            case .noModel: "Không đăng ký mô hình"
            }
        }
    }
}

/// How many target units of a scope are in each group of the dashboard. A sum over
/// units, so a federation's counts are its subtree's sum and can be kept by differences.
public struct StandingCounts: Sendable, Hashable, Codable {
    public var expected = 0
    public var notStarted = 0
    public var draft = 0
    public var returned = 0
    public var waitingReview = 0
    public var accepted = 0
    public var noModel = 0
    /// Handed in, first submission before the deadline / at or after it.
    public var onTime = 0
    public var late = 0
    public var resubmittedLate = 0

    public init() {}

    /// The counts of one unit standing so.
    public init(_ standing: Standing) {
        expected = 1
        switch standing.phase {
        case .notStarted: notStarted = 1
        case .draft: draft = 1
        case .returned: returned = 1
        case .waitingReview: waitingReview = 1
        case .accepted: accepted = 1
        case .noModel: noModel = 1
        }
        if standing.phase.isSubmitted {
            if standing.isLate { late = 1 } else { onTime = 1 }
        }
        if standing.isResubmittedLate { resubmittedLate = 1 }
    }

    /// Handed in: đúng hạn + muộn.
    public var submitted: Int { onTime + late }
    /// Not handed in: chưa bắt đầu + đang soạn + đã trả lại.
    public var pending: Int { notStarted + draft + returned }

    /// The stored columns in a fixed order (with `init(columns:)`).
    public var columns: [Int] {
        [expected, notStarted, draft, returned, waitingReview, accepted, noModel, onTime, late, resubmittedLate]
    }

    public static let columnNames = ["expected", "not_started", "draft", "returned", "waiting_review", "accepted",
                                     "no_model", "on_time", "late", "resubmitted_late"]

    public init(columns c: [Int]) {
        precondition(c.count == Self.columnNames.count)
        (expected, notStarted, draft, returned, waitingReview, accepted, noModel, onTime, late, resubmittedLate) =
            (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9])
    }

    public static func + (a: StandingCounts, b: StandingCounts) -> StandingCounts {
        StandingCounts(columns: zip(a.columns, b.columns).map(+))
    }

    public static func - (a: StandingCounts, b: StandingCounts) -> StandingCounts {
        StandingCounts(columns: zip(a.columns, b.columns).map(-))
    }

    public var isZero: Bool { columns.allSatisfy { $0 == 0 } }
}

/// A step of a unit's submission, with what the step needs to be judged.
public enum SubmissionStep: Sendable, Hashable {
    /// A change to the initiatives (add, edit, delete, upload).
    case edit
    case submit(initiatives: Int)
    /// "Đơn vị không đăng ký mô hình năm nay".
    case declare(initiatives: Int)
    case accept
    /// Back to the unit, optionally with an instant to resubmit by.
    case `return`(resubmitBy: Date?)
    /// A new deadline for this unit (nil takes the extension back).
    case extend(until: Date?)
    /// Rows of a file imported as submitted at `at` (the CLI, in any state of the campaign).
    case `import`(at: Date)

    public var action: SubmissionAction {
        switch self {
        case .edit: .edit
        case .submit: .submit
        case .declare: .declare
        case .accept: .accept
        case .return: .return
        case .extend: .extend
        case .import: .import
        }
    }
}

extension Standing {
    /// The standing after `step` at `now`, or why the step is refused (`.conflict` for a
    /// step the state does not allow, `.invalid` for one the data does not).
    public func after(_ step: SubmissionStep, at now: Date) -> Result<Standing, DomainError> {
        var next = self
        switch step.action.apply(to: status) {
        case .failure(let error): return .failure(error)
        case .success(let to): next.status = to
        }
        switch step {
        case .edit:
            guard policy.isOpen else { return .failure(.conflict("Đợt thi đua không còn mở để đăng ký.")) }
            next.noModel = false
        case .submit(let count), .declare(let count):
            guard policy.isOpen else { return .failure(.conflict("Đợt thi đua không còn mở để nộp.")) }
            guard maySubmit(at: now) else {
                return .failure(.conflict("Đã hết hạn nộp (\(VietnamTime.describe(deadline))) và đợt này không nhận hồ sơ nộp muộn."))
            }
            if case .submit = step, count == 0 {
                return .failure(.invalid("Chưa có mô hình nào để nộp. Nếu năm nay đơn vị không đăng ký, chọn “Đơn vị không đăng ký mô hình năm nay”."))
            }
            if case .declare = step, count > 0 {
                return .failure(.invalid("Đơn vị đã có \(VietnameseText.number(count)) mô hình; cần xóa các mô hình trước khi báo không đăng ký."))
            }
            if case .declare = step { next.noModel = true } else { next.noModel = false }
            next.firstSubmittedAt = firstSubmittedAt ?? now
            next.lastSubmittedAt = now
        case .accept:
            break
        case .return(let by):
            if let by, by <= now {
                return .failure(.invalid("Hạn nộp lại (\(DeadlineText.through(by))) phải sau thời điểm trả lại."))
            }
            next.resubmitBy = by
        case .extend(let until):
            guard policy.isOpen else { return .failure(.conflict("Đợt thi đua không còn mở nên không gia hạn được.")) }
            if let until {
                guard until > policy.deadline else {
                    return .failure(.invalid("Hạn gia hạn phải sau hạn chung (\(DeadlineText.before(policy.deadline)))."))
                }
                if let limit = policy.extensionLimit, until > limit {
                    return .failure(.invalid("Hạn gia hạn không được quá ngày \(ReminderSchedule.lastDay(limit).vietnamese) (hết năm của đợt thi đua)."))
                }
            }
            next.extendedUntil = until
        case .import(let at):
            // The CLI's import of a file of registrations: an administrator's act, allowed
            // in any state of the campaign (an earlier year's registrations, say).
            next.noModel = false
            if !status.counts, next.status.counts {
                next.firstSubmittedAt = firstSubmittedAt ?? at
                next.lastSubmittedAt = at
            }
        }
        return .success(next)
    }
}

/// The groups a campaign's units are narrowed to (the dashboard's cards and filter, the
/// review queue): one table, from which the database's filter (`criterion`), the count
/// taken from the maintained `StandingCounts` (`count(in:)`) and the test of one unit
/// (`matches`) all derive.
public enum StandingFilter: String, CaseIterable, Sendable {
    case all, submitted, onTime = "on_time", late, waitingReview = "waiting_review", accepted, noModel = "no_model"
    case pending, notStarted = "not_started", draft, returned, resubmittedLate = "resubmitted_late"

    /// What a unit's stored standing must be: one of `phases` (nil: any), and the stored
    /// flags where they are given.
    public struct Criterion: Sendable, Equatable {
        public var phases: [Standing.Phase]?
        public var late: Bool?
        public var resubmittedLate: Bool?
    }

    public var criterion: Criterion {
        let handedIn = Standing.Phase.allCases.filter(\.isSubmitted)
        switch self {
        case .all: return Criterion()
        case .submitted: return Criterion(phases: handedIn)
        case .onTime: return Criterion(phases: handedIn, late: false)
        case .late: return Criterion(phases: handedIn, late: true)
        case .waitingReview: return Criterion(phases: [.waitingReview])
        case .accepted: return Criterion(phases: [.accepted])
        case .noModel: return Criterion(phases: [.noModel])
        case .pending: return Criterion(phases: Standing.Phase.allCases.filter { !$0.isSubmitted })
        case .notStarted: return Criterion(phases: [.notStarted])
        case .draft: return Criterion(phases: [.draft])
        case .returned: return Criterion(phases: [.returned])
        case .resubmittedLate: return Criterion(resubmittedLate: true)
        }
    }

    public func matches(_ standing: Standing) -> Bool {
        let c = criterion
        return (c.phases?.contains(standing.phase) ?? true) && (c.late.map { $0 == standing.isLate } ?? true)
            && (c.resubmittedLate.map { $0 == standing.isResubmittedLate } ?? true)
    }

    /// How many units of a scope the filter holds, from its maintained counts.
    public func count(in c: StandingCounts) -> Int {
        switch self {
        case .all: c.expected
        case .submitted: c.submitted
        case .onTime: c.onTime
        case .late: c.late
        case .waitingReview: c.waitingReview
        case .accepted: c.accepted
        case .noModel: c.noModel
        case .pending: c.pending
        case .notStarted: c.notStarted
        case .draft: c.draft
        case .returned: c.returned
        case .resubmittedLate: c.resubmittedLate
        }
    }

    public var label: String {
        switch self {
        case .all: "Tất cả đơn vị phải nộp"
        case .submitted: "Đã nộp"
        case .onTime: "Đã nộp — đúng hạn"
        case .late: "Đã nộp — nộp muộn"
        case .waitingReview: "Chờ duyệt"
        case .accepted: "Đã duyệt"
        case .noModel: "Không đăng ký mô hình"
        case .pending: "Chưa nộp"
        case .notStarted: "Chưa nộp — chưa bắt đầu"
        case .draft: "Chưa nộp — đang soạn"
        case .returned: "Chưa nộp — đã trả lại"
        case .resubmittedLate: "Nộp lại muộn"
        }
    }
}

/// The moment and coverage every figure of a scope carries: "Số liệu tính đến 14 giờ 05
/// ngày 02/12/2026; 37/44 đơn vị đã nộp (gồm 5 hồ sơ chờ duyệt)." Pages, the Biểu, the
/// report and the exports say it the same way.
public struct Coverage: Hashable, Sendable {
    public var asOf: Date
    public var expected: Int
    public var submitted: Int
    public var waitingReview: Int

    public init(_ counts: StandingCounts, asOf: Date) {
        self.asOf = asOf
        expected = counts.expected
        submitted = counts.submitted
        waitingReview = counts.waitingReview
    }

    public var sentence: String {
        let f = VietnamTime.fields(asOf)
        let at = "\(CalendarDay.padded(f.hour, 2)) giờ \(CalendarDay.padded(f.minute, 2)) ngày \(CalendarDay(year: f.year, month: f.month, day: f.day).vietnamese)"
        let waiting = waitingReview > 0 ? " (gồm \(VietnameseText.number(waitingReview)) hồ sơ chờ duyệt)" : ""
        return "Số liệu tính đến \(at); \(VietnameseText.number(submitted))/\(VietnameseText.number(expected)) đơn vị đã nộp\(waiting)."
    }
}

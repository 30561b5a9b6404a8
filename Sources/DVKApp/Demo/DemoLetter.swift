import DVKCore
import Foundation

/// The demo's words: the letter's body and plausible registrations.
enum DemoLetter {
    /// The campaign letter's body, in the plain-text form campaigns store: a blank line
    /// starts a paragraph, "- " a bullet, *…* italic.
    static let body = """
    Thực hiện Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố Hà Nội về triển khai phong trào thi đua “Dân vận khéo” năm 2024; Công văn số 50-CV/BDV ngày 05/02/2024 của Ban Dân vận Quận ủy về việc tiếp tục triển khai đăng ký mô hình Dân vận khéo năm 2024; Ban Thường vụ LĐLĐ quận Long Biên đề nghị Ban Chấp hành công đoàn cơ sở triển khai một số nội dung sau:

    1. Đẩy mạnh công tác tuyên truyền, nâng cao nhận thức của đoàn viên, CNVCLĐ và các cấp công đoàn về vị trí, vai trò của công tác dân vận và phong trào thi đua “Dân vận khéo”; gắn phong trào với chủ đề công tác năm của Quận “Năm hành động vì cảnh quan, môi trường đô thị và chuyển đổi số”.

    2. Tiếp tục bồi dưỡng, duy trì, nhân rộng các mô hình “Dân vận khéo” tiêu biểu đã được công nhận; trao đổi, học tập kinh nghiệm, phổ biến cách làm hay, sáng tạo, hiệu quả tại địa phương, đơn vị.

    3. Triển khai đăng ký, xây dựng các mô hình “Dân vận khéo” theo 04 lĩnh vực, bám sát những việc mới, khó mà đoàn viên, CNVCLĐ quan tâm:

    - *Trong lĩnh vực kinh tế*: phát huy sáng kiến, cải tiến kỹ thuật, nâng cao năng suất, chất lượng sản phẩm, ứng dụng chuyển đổi số trong sản xuất, kinh doanh.

    - *Trong lĩnh vực văn hóa – xã hội*: chăm lo sức khỏe, đời sống tinh thần của đoàn viên; xây dựng nếp sống văn minh, thực hiện tốt 02 Bộ quy tắc ứng xử của Thành phố.

    - *Trong lĩnh vực an ninh – quốc phòng*: vận động đoàn viên tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc, phòng cháy, chữa cháy tại cơ quan, đơn vị, doanh nghiệp.

    - *Trong lĩnh vực xây dựng hệ thống chính trị*: tăng cường kỷ luật, kỷ cương, trách nhiệm giải quyết công việc; đổi mới phương thức hoạt động, lấy đoàn viên làm trung tâm.

    - Thực hiện đăng ký mô hình của các cá nhân, tập thể công đoàn cơ sở trên hệ thống DVK (hoặc theo mẫu gửi kèm) trước ngày 16/02/2024 để tổng hợp, báo cáo Quận ủy và LĐLĐ Thành phố.

    Để phong trào thi đua “Dân vận khéo” được triển khai sâu rộng, thiết thực, hiệu quả, Liên đoàn Lao động Quận đề nghị các công đoàn cơ sở quan tâm triển khai thực hiện, gửi đăng ký về Liên đoàn Lao động Quận theo thời gian nêu trên./.
    """

    static let modelsBySector: [String: [String]] = [
        "kinh-te": [
            "Sáng kiến cải tiến quy trình sản xuất, tiết kiệm vật tư",
            "Chuyển đổi số trong quản lý hồ sơ, giảm giấy tờ",
            "Tổ lao động giỏi, năng suất cao",
            "Ứng dụng phần mềm quản lý kho và bán hàng",
            "Vườn rau sạch tăng gia tại đơn vị",
        ],
        "van-hoa-xa-hoi": [
            "Bữa cơm công đoàn ấm áp nghĩa tình",
            "Tủ sách đoàn viên – lan tỏa văn hóa đọc",
            "Chăm lo sức khỏe đoàn viên, khám sàng lọc định kỳ",
            "Phân loại rác thải tại nguồn ở cơ quan",
            "Mái ấm công đoàn cho đoàn viên khó khăn",
        ],
        "an-ninh-quoc-phong": [
            "Tổ phòng cháy, chữa cháy cơ sở tự quản",
            "Đoàn viên cảnh giác trước lừa đảo qua mạng",
            "Camera an ninh kết nối vì khu phố bình yên",
        ],
        "xay-dung-he-thong-chinh-tri": [
            "Lắng nghe ý kiến đoàn viên mỗi tháng một lần",
            "Công khai, minh bạch tài chính công đoàn",
            "Đối thoại định kỳ giữa người lao động và lãnh đạo đơn vị",
        ],
    ]

    static let people = ["Nguyễn Thị Thủy", "Trần Văn Hòa", "Lê Thị Thanh Hương", "Phạm Quang Huy", "Hoàng Thị Khỏe",
                         "Đỗ Minh Quý", "Vũ Thị Ngọc Lan", "Bùi Văn Toàn", "Đặng Thu Hà", "Ngô Đức Thắng",
                         "Trịnh Thị Hoa", "Lý Văn Nam"]
    static let titles = ["Chủ tịch công đoàn cơ sở", "Ủy viên Ban Chấp hành", "Tổ trưởng công đoàn", "Đoàn viên", "Kế toán", "Giáo viên"]
    static let collectives = ["Ban Chấp hành công đoàn cơ sở", "Tổ công đoàn Văn phòng", "Tổ công đoàn Chuyên môn", "Tổ Nữ công"]

    /// 2–6 registrations for a unit, every sector touched across the demo; a collective
    /// may register in two sectors, an individual two models in one.
    static func drafts(for unitName: String, index: Int, rng: inout SeededGenerator) -> [InitiativeDraft] {
        let sectors = Sector.defaults.map(\.code)
        var out: [InitiativeDraft] = []
        let collectiveCount = 1 + rng.next(upTo: 2)
        for c in 0..<collectiveCount {
            let sector = sectors[(index + c) % sectors.count]
            out.append(draft(kind: .collective, name: collectives[(index + c) % collectives.count], title: "",
                             sector: sector, unitName: unitName, rng: &rng))
        }
        if index % 4 == 1 {
            // The union's executive committee also registers in a second sector.
            out.append(draft(kind: .collective, name: collectives[index % collectives.count], title: "",
                             sector: sectors[(index + 2) % sectors.count], unitName: unitName, rng: &rng))
        }
        let individualCount = 1 + rng.next(upTo: 3)
        for p in 0..<individualCount {
            let person = people[(index * 3 + p) % people.count]
            out.append(draft(kind: .individual, name: person, title: titles[(index + p) % titles.count],
                             sector: sectors[rng.next(upTo: sectors.count)], unitName: unitName, rng: &rng))
        }
        if index % 5 == 2, let first = out.first(where: { $0.kind == .individual }) {
            // One person runs two models in the same sector: 1 individual, 2 models on the form.
            var second = draft(kind: .individual, name: first.registrantName, title: first.registrantTitle,
                               sector: first.sectorCode, unitName: unitName, rng: &rng)
            second.title = "Tư vấn pháp luật cho đoàn viên tại \(unitName)"
            out.append(second)
        }
        // Drop repeats of the same registrant, sector and title.
        var seen: Set<String> = []
        return out.filter { seen.insert("\($0.kind)|\($0.registrantKey)|\($0.sectorCode)|\($0.titleKey)").inserted }
    }

    static func draft(kind: RegistrantKind, name: String, title: String, sector: String, unitName: String,
                      rng: inout SeededGenerator) -> InitiativeDraft {
        let models = modelsBySector[sector] ?? ["Mô hình dân vận khéo"]
        let model = models[rng.next(upTo: models.count)]
        let startMonth = 2 + rng.next(upTo: 3)
        return InitiativeDraft(
            kind: kind, registrantName: name, registrantTitle: title, sectorCode: sector, title: model,
            purpose: "Phát huy vai trò của đoàn viên, người lao động tại \(unitName); góp phần hoàn thành nhiệm vụ chính trị của đơn vị.",
            content: "Xây dựng kế hoạch thực hiện; phân công đoàn viên phụ trách; tổ chức triển khai hằng tháng; sơ kết giữa năm và tổng kết cuối năm.",
            scope: "Toàn thể đoàn viên, người lao động của \(unitName).",
            startDate: CalendarDay(year: 2024, month: startMonth, day: 1),
            endDate: CalendarDay(year: 2024, month: 12, day: 31),
            expectedResult: "100% đoàn viên được tuyên truyền; mô hình duy trì thường xuyên, có sức lan tỏa trong đơn vị.",
            personInCharge: kind == .individual ? name : "Chủ tịch công đoàn cơ sở",
            continuity: rng.next(upTo: 4) == 0 ? .continues : .new)
    }
}

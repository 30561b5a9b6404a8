/// Passwords people choose first, for `PasswordPolicy`: whole ones of ten characters or
/// more (shorter ones fail the length already), from the published leak lists, with the
/// Vietnamese favourites; and the words that, with digits or symbols around them, make
/// most of the rest ("matkhau2024!", "anhyeuem@123").
enum CommonPasswords {
    static let all: Set<String> = [
        "1234567890", "0123456789", "9876543210", "0987654321", "1234512345", "1122334455", "1111111111", "0000000000",
        "123456789a", "123456789q", "a123456789", "12345678910", "123123123123", "123456123456", "147258369147", "1q2w3e4r5t",
        "qwertyuiop", "qwerty1234", "qwerty12345", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl1", "zxcvbnm123",
        "password12", "password123", "password1234", "passw0rd123", "p@ssw0rd123", "p@ssword123", "iloveyou12", "iloveyou123",
        "abc1234567", "abcd123456", "abcdef1234", "abc123456789", "admin12345", "administrator", "admin@1234", "welcome123",
        "football123", "baseball123", "sunshine123", "princess123", "dragon1234", "monkey1234", "letmein123", "trustno1234",
        "123456a@123", "123456aa@", "123456abc@", "123456@abc", "123456789@", "12345678@a", "a@123456789", "aa123456789",
        "matkhau123", "matkhau1234", "matkhau@123", "matkhaumoi", "matkhau2024", "matkhau2025", "matkhau2026", "anhyeuem123",
        "anhyeuem1234", "emyeuanh123", "yeuem123456", "anhyeuemnhieu", "emyeuanhnhieu", "toiyeuvietnam", "vietnam123", "vietnam1234",
        "vietnamvodich", "hanoi12345", "saigon12345", "congdoan123", "congdoan2024", "congdoan@123", "dvk2024dvk", "dankheo2024",
        "danvankheo", "danvankheo2024", "123456789abc", "abcabcabc123", "ngocanh123", "minhanh123", "thanhcong123", "chienthang123",
    ]

    /// The lists as `PasswordPolicy.fold` reads a password.
    static let folded = Set(all.map(PasswordPolicy.fold))
    static let foldedWords = Set(words.map(PasswordPolicy.fold))

    /// Words that are common whatever digits or symbols surround them.
    static let words: Set<String> = [
        "password", "passw0rd", "p@ssw0rd", "iloveyou", "qwerty", "qwertyuiop", "admin", "administrator", "welcome", "letmein",
        "abc", "abcd", "abcdef", "abcabc", "a", "aa", "aaa", "q", "qq", "qwe", "asd", "zxc", "test", "user", "login",
        "matkhau", "matkhaumoi", "anhyeuem", "emyeuanh", "yeuem", "anhyeu", "iloveu", "toiyeuvietnam", "vietnam", "hanoi", "saigon",
        "congdoan", "dvk", "danvankheo", "dankheo", "ldld", "cdcs", "truong", "congty",
    ]
}

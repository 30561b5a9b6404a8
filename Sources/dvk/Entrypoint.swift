import DVKApp
import Foundation

@main
enum Entrypoint {
    static func main() async {
        let status = await DVK.run(arguments: CommandLine.arguments)
        exit(status)
    }
}

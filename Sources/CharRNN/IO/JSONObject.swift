/// A JSON object to write, its members in the order they were added: the one way the program
/// writes JSON (output lines, metrics records, safetensors headers, checkpoint metadata).
///
///     var line: JSONObject = ["step": .integer(3), "loss": .double(1.25)]
///     line["note"] = "NaN becomes null"
///     line.text()              // {"step":3,"loss":1.25,"note":"NaN becomes null"}
///     line.text(spaced: true)  // {"step": 3, "loss": 1.25, "note": "NaN becomes null"}
///
/// Keys are unique: setting a key again replaces its value in place.
public struct JSONObject: Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var members: [(key: String, value: JSONValue)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// The member's value; setting appends a new key at the end, or replaces an existing one's value.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let i?, let value?): members[i].value = value
            case (let i?, nil): members.remove(at: i)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// The object's JSON text on one line; `spaced` puts a space after each ',' and ':'.
    public func text(spaced: Bool = false) -> String {
        let pairs = members.map { JSON.quoted($0.key) + (spaced ? ": " : ":") + $0.value.text(spaced: spaced) }
        return "{" + pairs.joined(separator: spaced ? ", " : ",") + "}"
    }
}

/// A JSON value to write: what `JSONObject` holds. Floating-point numbers are written as Swift
/// prints them (the shortest text that reads back to the same value); NaN and ±∞, which JSON
/// lacks, are written as `null`.
public indirect enum JSONValue: Sendable {
    case string(String)
    case integer(Int)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case null
    case object(JSONObject)
    case array([JSONValue])

    /// The value's JSON text; `spaced` puts a space after each ',' and ':', as Python's
    /// `json.dumps` does by default.
    public func text(spaced: Bool = false) -> String {
        switch self {
        case .string(let s): return JSON.quoted(s)
        case .integer(let n): return String(n)
        case .float(let x): return x.isFinite ? String(x) : "null"
        case .double(let x): return x.isFinite ? String(x) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .object(let object): return object.text(spaced: spaced)
        case .array(let items):
            return "[" + items.map { $0.text(spaced: spaced) }.joined(separator: spaced ? ", " : ",") + "]"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

import Testing

@testable import CharRNN

@Suite("JSON writer")
struct JSONObjectTests {
    @Test("members keep the order they were added in; setting a key again replaces it in place")
    func order() {
        var object: JSONObject = ["z": 1, "a": "x"]
        object["m"] = true
        object["z"] = .integer(2)
        #expect(object.text() == #"{"z":2,"a":"x","m":true}"#)
        #expect(object.text(spaced: true) == #"{"z": 2, "a": "x", "m": true}"#)
        object["a"] = nil
        #expect(object.text() == #"{"z":2,"m":true}"#)
    }

    @Test("strings are escaped: quotes, backslashes, control characters; other text stays UTF-8")
    func escaping() throws {
        let awkward = "say \"hi\"\\ \n\t\r\u{08}\u{0C}\u{01}\u{1F} é 😀"
        let object: JSONObject = [awkward: .string(awkward)]
        #expect(
            object.text() == #"{"say \"hi\"\\ \n\t\r\b\f\u0001\u001f é 😀":"say \"hi\"\\ \n\t\r\b\f\u0001\u001f é 😀"}"#)
        #expect(try JSON.parse(object.text()) == .object([awkward: .string(awkward)]))
    }

    @Test("numbers print as Swift prints them; NaN and infinities become null")
    func numbers() throws {
        let object: JSONObject = [
            "int": .integer(-42), "float": .float(0.1), "double": .double(0.1), "big": .double(1e300),
            "small": .float(1e-7), "nan": .double(.nan), "inf": .float(.infinity), "-inf": .double(-.infinity),
        ]
        #expect(
            object.text()
                == #"{"int":-42,"float":0.1,"double":0.1,"big":1e+300,"small":1e-07,"nan":null,"inf":null,"-inf":null}"#
        )
        guard case .object(let parsed) = try JSON.parse(object.text()) else {
            Issue.record("not an object")
            return
        }
        #expect(parsed["float"] == .number("0.1") && parsed["big"] == .number("1e+300"))
        #expect(parsed["nan"] == .null && parsed["inf"] == .null && parsed["-inf"] == .null)
    }

    @Test("objects and arrays nest, and the engine's parser reads the text back")
    func nesting() throws {
        let inner: JSONObject = ["p": .float(0.5), "ok": false, "none": nil]
        let object: JSONObject = [
            "list": .array([1, "two", .object(inner), .array([]), .null]), "empty": .object(JSONObject()),
        ]
        let text = object.text()
        #expect(text == #"{"list":[1,"two",{"p":0.5,"ok":false,"none":null},[],null],"empty":{}}"#)
        #expect(
            object.text(spaced: true)
                == #"{"list": [1, "two", {"p": 0.5, "ok": false, "none": null}, [], null], "empty": {}}"#)
        let expected: JSON = .object([
            "list": .array([
                .number("1"), .string("two"), .object(["p": .number("0.5"), "ok": .bool(false), "none": .null]),
                .array([]), .null,
            ]),
            "empty": .object([:]),
        ])
        #expect(try JSON.parse(text) == expected)
    }
}

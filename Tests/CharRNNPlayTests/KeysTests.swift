import Testing

@testable import CharRNNPlay

@Suite("Keys")
struct KeysTests {
    @Test("raw characters decode to keys: Enter, Tab, Esc, Backspace, Ctrl-letters, printables")
    func decoding() {
        #expect(Key.fromCharacter(13) == .enter)
        #expect(Key.fromCharacter(10) == .enter)
        #expect(Key.fromCharacter(9) == .tab)
        #expect(Key.fromCharacter(27) == .escape)
        #expect(Key.fromCharacter(127) == .backspace)
        #expect(Key.fromCharacter(8) == .backspace)
        #expect(Key.fromCharacter(3) == .control("c"))
        #expect(Key.fromCharacter(18) == .control("r"))
        #expect(Key.fromCharacter(0x61) == .character("a"))
        #expect(Key.fromCharacter(0x6F22) == .character("漢"))
        #expect(Key.fromCharacter(0) == nil)
        #expect(Key.fromCharacter(0x9B) == nil)
        #expect(Key.fromCharacter(0xD800) == nil)
    }

    @Test("every key in the spec maps to its action")
    func mapping() {
        let expected: [(Key, PlayAction)] = [
            (.character("x"), .insert("x")), (.backspace, .deleteBackward), (.enter, .start),
            (.up, .warmer), (.down, .cooler), (.left, .fewerBars), (.right, .moreBars),
            (.pageUp, .faster), (.pageDown, .slower), (.tab, .nextCheckpoint),
            (.backTab, .previousCheckpoint), (.control("r"), .reset), (.control("g"), .toggleSideBySide),
            (.control("p"), .togglePause), (.control("n"), .stepOnce), (.function(1), .toggleHelp),
            (.control("c"), .quit), (.escape, .quit), (.resize, .relayout), (.control("t"), .toggleTint),
            (.control("u"), .clearPrime),
        ]
        for (key, action) in expected { #expect(KeyMap.action(for: key) == action, "\(key)") }
        #expect(KeyMap.action(for: .function(5)) == nil)
        #expect(KeyMap.action(for: .control("z")) == nil)
    }

    @Test("Esc closes the help before it quits; Ctrl-C always quits")
    func escapeWithHelp() {
        #expect(KeyMap.action(for: .escape, helpShown: true) == .toggleHelp)
        #expect(KeyMap.action(for: .control("c"), helpShown: true) == .quit)
    }

    @Test("the help lists every key of the spec")
    func helpText() {
        let text = KeyMap.help.map { $0.keys + " " + $0.action }.joined(separator: "\n")
        for key in [
            "Enter", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Tab", "Shift-Tab", "Ctrl-R", "Ctrl-G",
            "Ctrl-P", "Ctrl-N", "F1", "Ctrl-C", "Esc",
        ] {
            #expect(text.contains(key), "help does not mention \(key)")
        }
    }
}

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

    @Test("with the help open, Up/Down and PgUp/PgDn scroll it instead of changing temperature and speed")
    func helpScrollKeys() {
        #expect(KeyMap.action(for: .up, helpShown: true) == .scrollHelp(-1))
        #expect(KeyMap.action(for: .down, helpShown: true) == .scrollHelp(1))
        #expect(KeyMap.action(for: .pageDown, helpShown: true) == .scrollHelp(KeyMap.helpPage))
        #expect(KeyMap.action(for: .up) == .warmer)
        var s = PlayState()
        _ = s.apply(.toggleHelp)
        _ = s.apply(.scrollHelp(-3))
        #expect(s.helpScroll == 0)
        _ = s.apply(.scrollHelp(4))
        #expect(s.helpScroll == 4)
        _ = s.apply(.toggleHelp)
        #expect(s.helpScroll == 0)
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

    @Test("after an Esc: nothing is a lone Esc, Enter is Alt-Enter, the paste markers are read whole, the rest dropped")
    func escapeSequences() {
        func body(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
        #expect(!EscapeSequence.isComplete([]))
        #expect(EscapeSequence.key([]) == .escape)
        #expect(EscapeSequence.isComplete([13]) && EscapeSequence.key([13]) == .altEnter)
        #expect(EscapeSequence.key([10]) == .altEnter)
        let partial = [("[", false), ("[20", false), ("[200", false), ("[200~", true), ("O", false), ("OP", true)]
        for (text, complete) in partial {
            #expect(EscapeSequence.isComplete(body(text)) == complete, "\(text)")
        }
        #expect(EscapeSequence.key(body("[200~")) == .pasteBegin)
        #expect(EscapeSequence.key(body("[201~")) == .pasteEnd)
        for dropped in ["x", "[1;9Z", "OP", "[A", "[202~"] {
            #expect(EscapeSequence.key(body(dropped)) == nil, "\(dropped)")
        }
    }

    @Test("in a paste, Enter and Tab are text and Ctrl-C still quits; outside, Alt-Enter is a newline")
    func pasteMapping() {
        let pasting: [(Key, PlayAction?)] = [
            (.character("x"), .insert("x")), (.enter, .insert("\n")), (.tab, .insert("\t")),
            (.altEnter, .insert("\n")), (.pasteEnd, .endPaste), (.control("c"), .quit), (.resize, .relayout),
            (.up, nil), (.backTab, nil), (.escape, nil), (.function(1), nil), (.control("r"), nil), (.backspace, nil),
        ]
        for (key, action) in pasting { #expect(KeyMap.action(for: key, pasting: true) == action, "\(key)") }
        #expect(KeyMap.action(for: .altEnter) == .insert("\n"))
        #expect(KeyMap.action(for: .pasteBegin) == .beginPaste)
        #expect(KeyMap.action(for: .pasteEnd) == nil)
    }

    @Test("the help names the newline key, its glyph, and why Ctrl-J is Enter")
    func newlineHelp() {
        let text = KeyMap.help.map { $0.keys + " " + $0.action }.joined(separator: "\n")
        #expect(text.contains("Alt-Enter") && text.contains("⏎") && text.contains("Ctrl-J is Enter"))
        #expect(text.contains("paste"))
    }
}

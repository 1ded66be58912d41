import Testing

@testable import CharRNNPlay

@Suite("Screen layout")
struct LayoutTests {
    /// Every pane lies inside the screen, between the status line and the input line, and
    /// no two panes overlap.
    func checkTiles(_ l: Layout, width: Int, height: Int) {
        var rects = [l.status, l.input]
        for s in l.streams { rects += [s.text] + [s.label, s.bars].compactMap { $0 } }
        for r in rects {
            #expect(r.row >= 0 && r.column >= 0 && r.width > 0 && r.height > 0)
            #expect(r.row + r.height <= height && r.column + r.width <= width)
        }
        for (i, a) in rects.enumerated() {
            for b in rects[(i + 1)...] {
                let apart =
                    a.row + a.height <= b.row || b.row + b.height <= a.row
                    || a.column + a.width <= b.column || b.column + b.width <= a.column
                #expect(apart, "\(a) overlaps \(b)")
            }
        }
        for s in l.separators {
            #expect(!l.streams.contains { $0.text.column <= s && s < $0.text.column + $0.text.width })
        }
    }

    @Test("a wide terminal puts the bars beside the text")
    func wide() throws {
        let l = try #require(Layout(width: 100, height: 30, sideBySide: false, barCount: 10))
        #expect(l.status == Rect(row: 0, column: 0, width: 100, height: 1))
        #expect(l.input == Rect(row: 29, column: 0, width: 100, height: 1))
        #expect(l.streams.count == 1)
        let bars = try #require(l.streams[0].bars)
        #expect(bars.column > l.streams[0].text.column + l.streams[0].text.width - 1)
        #expect(bars.height == 11)
        #expect(l.streams[0].text.height == 28)
        checkTiles(l, width: 100, height: 30)
    }

    @Test("a narrow terminal stacks the bars under the text, or drops them")
    func narrow() throws {
        let l = try #require(Layout(width: 40, height: 30, sideBySide: false, barCount: 10))
        let bars = try #require(l.streams[0].bars)
        #expect(bars.row > l.streams[0].text.row)
        checkTiles(l, width: 40, height: 30)
        let short = try #require(Layout(width: 40, height: 8, sideBySide: false, barCount: 10))
        #expect(short.streams[0].bars == nil)
        #expect(short.streams[0].text.height == 6)
    }

    @Test("side by side: two labelled halves, each with its own bars when there is room")
    func sideBySide() throws {
        let l = try #require(Layout(width: 101, height: 40, sideBySide: true, barCount: 10))
        #expect(l.streams.count == 2)
        #expect(l.streams.allSatisfy { $0.label != nil && $0.bars != nil })
        #expect(l.streams[0].text.width == 49 && l.streams[1].text.width == 49)
        #expect(l.streams[1].text.column == 52)
        #expect(l.separators == [50])
        checkTiles(l, width: 101, height: 40)
        let low = try #require(Layout(width: 80, height: 9, sideBySide: true, barCount: 10))
        #expect(low.streams.allSatisfy { $0.bars == nil })
        checkTiles(low, width: 80, height: 9)
    }

    @Test("more bars make a taller pane, up to what the screen allows")
    func barCount() throws {
        let few = try #require(Layout(width: 100, height: 30, sideBySide: false, barCount: 3))
        let many = try #require(Layout(width: 100, height: 30, sideBySide: false, barCount: 40))
        #expect(few.streams[0].bars?.height == 4)
        #expect(many.streams[0].bars?.height == 28)
    }

    @Test("below the minimum size there is no layout", arguments: [(29, 24), (80, 5), (10, 3)])
    func tooSmall(width: Int, height: Int) {
        #expect(Layout(width: width, height: height, sideBySide: false, barCount: 10) == nil)
    }

    @Test("every size from the minimum up tiles without overlap")
    func allSizes() {
        for width in stride(from: Layout.minimumWidth, through: 140, by: 7) {
            for height in stride(from: Layout.minimumHeight, through: 50, by: 5) {
                for side in [false, true] {
                    guard let l = Layout(width: width, height: height, sideBySide: side, barCount: 10) else {
                        Issue.record("no layout at \(width)×\(height)")
                        continue
                    }
                    checkTiles(l, width: width, height: height)
                }
            }
        }
    }
}

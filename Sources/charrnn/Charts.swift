import CharRNN

/// Axis ranges shared by both charts: steps on x, nats/char on y.
struct ChartScale {
    let minStep: Double, maxStep: Double, minLoss: Double, maxLoss: Double

    init(_ curve: LearningCurve) {
        let points = curve.train + curve.validation
        minStep = Double(points.map(\.step).min() ?? 0)
        maxStep = max(minStep + 1, Double(points.map(\.step).max() ?? 1))
        let losses = points.map(\.value)
        // Leave out the first steps' large losses when they would flatten the rest.
        let sorted = losses.sorted()
        let high = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.97))]
        minLoss = (losses.min() ?? 0) * 0.98
        maxLoss = max(minLoss + 0.01, high * 1.02)
    }

    func x(_ step: Int, _ width: Double) -> Double { (Double(step) - minStep) / (maxStep - minStep) * width }
    func y(_ loss: Double, _ height: Double) -> Double {
        (1 - (min(max(loss, minLoss), maxLoss) - minLoss) / (maxLoss - minLoss)) * height
    }
}

extension LearningCurve {
    /// The curve without the points no chart can place: losses that are not finite (a metrics
    /// line may say 1e999) or beyond ±1e300, where the axis arithmetic would overflow. Returns
    /// how many were left out, for a warning.
    func chartable() -> (curve: LearningCurve, skipped: Int) {
        var curve = self
        let keep = { (p: Point) in p.value.isFinite && p.value.magnitude <= 1e300 }
        curve.train = train.filter(keep)
        curve.validation = validation.filter(keep)
        return (curve, train.count + validation.count - curve.train.count - curve.validation.count)
    }
}

/// A compact chart of characters: `·` training loss, `●` validation loss per epoch.
struct TerminalChart {
    /// Bounds on --width and --height: wider than any terminal, small enough to allocate.
    static let widths = 20...1000, heights = 5...500

    let curve: LearningCurve
    let width: Int, height: Int

    func render(title: String) -> String {
        let scale = ChartScale(curve)
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        func plot(_ p: LearningCurve.Point, _ mark: Character) {
            let col = min(width - 1, Int(scale.x(p.step, Double(width - 1)).rounded()))
            let row = min(height - 1, Int(scale.y(p.value, Double(height - 1)).rounded()))
            grid[row][col] = mark
        }
        curve.train.forEach { plot($0, "·") }
        curve.validation.forEach { plot($0, "●") }
        var lines = ["\(title): nats/char by step (· train, ● validation)"]
        for (r, row) in grid.enumerated() {
            let loss = scale.maxLoss - (scale.maxLoss - scale.minLoss) * Double(r) / Double(height - 1)
            let label = r == 0 || r == height - 1 || r == height / 2 ? NumberText.fixed(loss, decimals: 2) : ""
            lines.append(String(repeating: " ", count: max(0, 6 - label.count)) + label + " │" + String(row))
        }
        lines.append("       └" + String(repeating: "─", count: width))
        let left = "\(Int(scale.minStep))", right = "step \(Int(scale.maxStep))"
        lines.append("        " + left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right)
        if let best = curve.validation.min(by: { $0.value < $1.value }) {
            lines.append("best validation \(NumberText.fixed(best.value, decimals: 4)) nats/char at step \(best.step)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The same curve as a standalone SVG document.
struct SVGChart {
    let curve: LearningCurve
    let title: String

    func render() -> String {
        let w = 640.0, h = 360.0, left = 56.0, right = 16.0, top = 32.0, bottom = 40.0
        let pw = w - left - right, ph = h - top - bottom
        let scale = ChartScale(curve)
        func point(_ p: LearningCurve.Point) -> String {
            "\(NumberText.fixed(left + scale.x(p.step, pw), decimals: 1)),\(NumberText.fixed(top + scale.y(p.value, ph), decimals: 1))"
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="20" font-size="14">\(escape(title)): nats/char</text>

            """
        for i in 0...4 {
            let loss = scale.minLoss + (scale.maxLoss - scale.minLoss) * Double(i) / 4
            let y = top + scale.y(loss, ph)
            svg += "<line x1=\"\(left)\" y1=\"\(NumberText.fixed(y, decimals: 1))\" x2=\"\(w - right)\" y2=\"\(NumberText.fixed(y, decimals: 1))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(NumberText.fixed(y + 4, decimals: 1))\" text-anchor=\"end\">\(NumberText.fixed(loss, decimals: 2))</text>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(h - 12)\">step \(Int(scale.minStep))</text>"
        svg += "<text x=\"\(w - right)\" y=\"\(h - 12)\" text-anchor=\"end\">step \(Int(scale.maxStep))</text>\n"
        if !curve.train.isEmpty {
            svg += "<polyline fill=\"none\" stroke=\"#9ab\" stroke-width=\"1\" points=\"\(curve.train.map(point).joined(separator: " "))\"/>\n"
        }
        if !curve.validation.isEmpty {
            svg += "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"\(curve.validation.map(point).joined(separator: " "))\"/>\n"
            for p in curve.validation {
                let xy = point(p).split(separator: ",")
                svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"#c33\"><title>step \(p.step): \(NumberText.fixed(p.value, decimals: 4))</title></circle>\n"
            }
        }
        svg += "<text x=\"\(w - right)\" y=\"20\" text-anchor=\"end\"><tspan fill=\"#9ab\">— train</tspan>  <tspan fill=\"#c33\">● validation</tspan></text>\n"
        return svg + "</svg>\n"
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// The tint of a unit's value on a diverging scale centred on 0, as Karpathy's and LSTMVis's
/// figures draw tanh-range values: blue for −1, white for 0, red for +1, in nine steps. One value
/// type for every front end: a 256-colour terminal, an 8-colour one, a web page and plain text.
/// Values beyond ±1 (an LSTM's `c`) take the end colours; NaN is 0.
public struct DivergingTint: Equatable, Sendable {
    /// −4 (−1) … 0 … 4 (+1).
    public let step: Int

    public static let steps = -4...4

    public init(_ value: Float) {
        let clamped = value.isNaN ? 0 : min(1, max(-1, value))
        step = Int((clamped * 4).rounded())
    }

    /// The xterm 256-colour index (the 6×6×6 cube) for a background under black text: the two
    /// fading channels go 5, 4, 3, 2, 1 with the step's size, so the strongest tints stay readable.
    public var xterm256: Int {
        let fading = 5 - abs(step)
        let (r, g, b) = step >= 0 ? (5, fading, fading) : (fading, fading, 5)
        return 16 + 36 * r + 6 * g + b
    }

    /// An 8-colour fallback (ANSI 0–7): blue, cyan, white, yellow, red from −1 to +1.
    public var ansi8: Int {
        switch step {
        case ...(-3): 4
        case -2...(-1): 6
        case 0: 7
        case 1...2: 3
        default: 1
        }
    }

    /// The same colour as xterm256 (the cube's levels: #ffffff at 0, #5f5fff at −1, #ff5f5f at +1), as CSS writes it.
    public var css: String {
        let fading = 255 - 40 * abs(step)
        let (r, g, b) = step >= 0 ? (255, fading, fading) : (fading, fading, 255)
        let hex = Array("0123456789abcdef")
        return "#" + String([r, g, b].flatMap { [hex[$0 / 16], hex[$0 % 16]] })
    }

    /// A mark for monochrome and plain text, printed under the character: `=` strong negative,
    /// `-` negative, a space near 0, `+` positive, `#` strong positive.
    public var mark: Character {
        switch step {
        case ...(-3): "="
        case -2...(-1): "-"
        case 0: " "
        case 1...2: "+"
        default: "#"
        }
    }
}

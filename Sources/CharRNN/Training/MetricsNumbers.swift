/// How the metrics records write numbers: losses to six decimals, and a learning rate as the
/// shortest decimal of its Float (0.002, not 0.0020000000949949026).
func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

func shortest(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }

import CharRNN

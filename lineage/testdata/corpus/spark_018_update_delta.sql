UPDATE dw.accounts SET balance = 0 WHERE closed = true;

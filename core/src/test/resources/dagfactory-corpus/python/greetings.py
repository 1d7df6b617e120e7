def say_hello():
    print("hello from a callable file")
    return "hello"

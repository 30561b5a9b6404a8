import DVKApp

internal import Mustache

// Every type the template reads gives its fields by name: Mustache would otherwise find each through `Mirror`, which
// reflects every field of the item for every name it looks up (most of the time of a report of 10,000 students).
// A name the template reads that is missing here renders as nothing; the tests of the report's parts catch that.

extension ReportPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "ruleSetID": ruleSetID
        case "ruleSetName": ruleSetName
        case "asOf": asOf
        case "previous": previous
        case "audienceID": audienceID
        case "audienceZh": audienceZh
        case "audienceEn": audienceEn
        case "leastPrivileged": leastPrivileged
        case "seesSensitive": seesSensitive
        case "sensitiveRoles": sensitiveRoles
        case "scored": scored
        case "rejected": rejected
        case "attentionCount": attentionCount
        case "notice": notice
        case "levels": levels
        case "byCollege": byCollege
        case "byClass": byClass
        case "movers": movers
        case "attention": attention
        case "students": students
        default: nil
        }
    }
}

extension ReportPage.LevelHeading: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "zh": zh
        case "en": en
        case "colour": colour
        default: nil
        }
    }
}

extension ReportChart: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chartWidth": chartWidth
        case "chartHeight": chartHeight
        case "chartLabel": chartLabel
        case "bars": bars
        default: nil
        }
    }
}

extension ReportChart.Bar: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "barLabel": barLabel
        case "textY": textY
        case "labelX": labelX
        case "totalX": totalX
        case "barTotal": barTotal
        case "segments": segments
        default: nil
        }
    }
}

extension ReportChart.Segment: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "segmentX": segmentX
        case "segmentY": segmentY
        case "segmentHeight": segmentHeight
        case "segmentWidth": segmentWidth
        case "segmentColour": segmentColour
        case "segmentTitle": segmentTitle
        default: nil
        }
    }
}

extension ReportCounts: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nameHeadings": nameHeadings
        case "levelHeadings": levelHeadings
        case "rows": rows
        case "chart": chart
        default: nil
        }
    }
}

extension ReportCounts.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nameCells": nameCells
        case "countCells": countCells
        case "rowTotal": rowTotal
        case "isTotal": isTotal
        default: nil
        }
    }
}

extension ReportStudent.Level: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "levelID": levelID
        case "levelZh": levelZh
        case "levelEn": levelEn
        case "levelColour": levelColour
        case "levelDark": levelDark
        default: nil
        }
    }
}

extension ReportStudent.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "position": position
        case "anchor": anchor
        case "studentID": studentID
        case "college": college
        case "className": className
        case "level": level
        case "scoreText": scoreText
        case "status": status
        case "reason": reason
        case "route": route
        case "duties": duties
        case "overdueText": overdueText
        default: nil
        }
    }
}

extension ReportStudent.Fired: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "pointsText": pointsText
        case "indicatorID": indicatorID
        case "indicatorLabel": indicatorLabel
        case "multiplierText": multiplierText
        case "sourceText": sourceText
        case "evidence": evidence
        default: nil
        }
    }
}

extension ReportStudent.Section: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "sectionAnchor": sectionAnchor
        case "sectionPosition": sectionPosition
        case "sectionStudent": sectionStudent
        case "sectionGroup": sectionGroup
        case "sectionLevel": sectionLevel
        case "sectionScore": sectionScore
        case "fired": fired
        case "withheldLabel": withheldLabel
        case "noIndicator": noIndicator
        case "scoreLines": scoreLines
        case "ruleLines": ruleLines
        case "caseText": caseText
        case "owed": owed
        case "routeText": routeText
        case "parentsText": parentsText
        case "responseText": responseText
        default: nil
        }
    }
}

extension ReportMovers: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "fromDate": fromDate
        case "toDate": toDate
        case "changedCount": changedCount
        case "comparedCount": comparedCount
        case "counts": counts
        case "movers": movers
        case "unpairedText": unpairedText
        default: nil
        }
    }
}

extension ReportMovers.Count: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "countTitle": countTitle
        case "countValue": countValue
        default: nil
        }
    }
}

extension ReportMovers.Mover: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "moverID": moverID
        case "moverGroup": moverGroup
        case "fromLevel": fromLevel
        case "toLevel": toLevel
        case "statusChange": statusChange
        case "movement": movement
        case "changeLines": changeLines
        default: nil
        }
    }
}

extension ReportChunk: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "items": items
        default: nil
        }
    }
}
